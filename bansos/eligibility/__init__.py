"""Eligibility rules: declarative, versioned, evaluated in bulk by the database, explained per household."""


def bench_rules(*, programs: int = 5) -> int:
    """Evaluate the benchmark's realistic program rules over the registry; return the total eligible."""
    from bansos.eligibility.bench import bench_rules as run

    return run(programs=programs)
