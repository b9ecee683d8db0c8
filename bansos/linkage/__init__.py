"""Record linkage: Indonesian name canonicalisation, Splink runs, duplicate review and merge, agency lists."""
