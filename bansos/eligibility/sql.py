"""SQL shapes for "the household has a related row": written per database, for their planners.

A rule's conditions on members ("has a child under five") and on the welfare score ("decile 1-4")
ask whether a related table holds a row for the household. The two databases want that question
in different shapes:

- PostgreSQL: a correlated ``EXISTS``. Under AND its planner turns it into a hash semi-join, under
  NOT into an anti-join, and elsewhere it probes an index once per household. A non-correlated
  ``IN`` would be worse there: under OR or NOT it is a "hashed SubPlan" only while the planner
  expects the ids to fit in ``work_mem``, and otherwise the subquery is rescanned for every
  household (minutes for 270,000 households).
- SQLite: ``household.id IN (SELECT household_id ...)``. SQLite evaluates the subquery once into a
  temporary index and looks each household up in it, under AND, OR and NOT alike; a correlated
  ``EXISTS`` costs a descent of the related table's index per household (about four times the
  work over a whole registry).

Both shapes are two-valued (``household_id`` is never NULL), so ``NOT`` never meets SQL's unknown.
"""

from __future__ import annotations

from django.db.models import BooleanField, Exists, Expression, OuterRef, Q


class HasRow(Expression):
    """True when ``rows`` (a queryset of a model with a ``household_id`` column) has one for the household."""

    output_field = BooleanField()  # conditional: usable in Q(), filter() and under ~

    def __init__(self, rows, *, outer: str = "pk") -> None:
        super().__init__()
        self.rows = rows
        self.outer = outer
        self.correlated = self.listed = None  # set when resolved against the outer query

    def __repr__(self) -> str:
        return f"{self.__class__.__name__}({self.rows.query})"

    def get_source_expressions(self):
        return [self.correlated, self.listed] if self.correlated is not None else []

    def set_source_expressions(self, exprs):
        if exprs:
            self.correlated, self.listed = exprs

    def resolve_expression(self, query=None, allow_joins=True, reuse=None, summarize=False, for_save=False):
        # Both shapes are resolved (cheap: no joins in the outer query); the connection picks one
        # when the query is compiled, which is the first moment the database is known. Once
        # resolved against the household query, later resolutions (the household query becoming a
        # subquery of another) go to the resolved shapes, as they would for a plain Exists.
        clone = self.copy()
        clone.is_summary = summarize
        if self.correlated is None:
            correlated = Exists(self.rows.filter(household_id=OuterRef(self.outer)))
            listed = Q(**{f"{self.outer}__in": self.rows.values("household_id")})
        else:
            correlated, listed = self.correlated, self.listed
        clone.correlated = correlated.resolve_expression(query, allow_joins, reuse, summarize, for_save)
        clone.listed = listed.resolve_expression(query, allow_joins, reuse, summarize, for_save)
        return clone

    def as_sql(self, compiler, connection):
        return compiler.compile(self.correlated)

    def as_sqlite(self, compiler, connection):
        return compiler.compile(self.listed)


class MemberMatch(HasRow):
    """The household has an active member meeting ``condition`` (a Q over Resident).

    Several of these under one OR merge into one (``merge_members``): "a member under five or a
    pregnant member" is "a member who is under five or pregnant", one pass over the members
    instead of two, and on PostgreSQL a semi-join instead of a probe per household.
    """

    def __init__(self, condition: Q) -> None:
        from bansos.registry.models import Resident, ResidentStatus

        self.condition = condition
        super().__init__(Resident.objects.filter(status=ResidentStatus.ACTIVE).filter(condition))


def member_match(q: Q) -> MemberMatch | None:
    """The MemberMatch a Q holds on its own (not negated), or None."""
    if isinstance(q, Q) and not q.negated and len(q.children) == 1:
        child = q.children[0]
        if isinstance(child, MemberMatch):
            return child
        if isinstance(child, Q):
            return member_match(child)
    return None


def merge_members(parts: list[Q]) -> list[Q]:
    """OR'ed parts with every plain member condition folded into one MemberMatch, in first place."""
    members = [m for m in (member_match(p) for p in parts) if m is not None]
    if len(members) < 2:
        return parts
    if any(not m.condition for m in members):
        # An empty Q is "any member"; Django's | would drop it as if it were no condition at all.
        condition = Q()
    else:
        condition = Q(members[0].condition)
        for m in members[1:]:
            condition = condition | m.condition
    return [Q(MemberMatch(condition)), *(p for p in parts if member_match(p) is None)]
