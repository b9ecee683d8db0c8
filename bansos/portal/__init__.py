"""The resident portal: public catalog, program finder, status check, resident sign-in and the household's own pages."""
