"""Every write of the programs app, one module per part of the domain.

Import from the submodules: ``programs`` (catalog), ``funding`` (sources, allocations, budget),
``enrollment`` (the workflow, one at a time and in bulk), ``referrals``, ``overlap`` (policies and
the checks at approval).
"""
