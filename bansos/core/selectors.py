from __future__ import annotations

from django.db.models import Count

from bansos.core.models import RT, RW, Kelurahan, Posyandu


def kelurahan_current() -> Kelurahan | None:
    return Kelurahan.objects.order_by("id").first()


def rw_list():
    return RW.objects.annotate(rt_count=Count("rts")).order_by("number")


def rt_list(*, rw: RW | None = None):
    qs = RT.objects.select_related("rw").order_by("rw__number", "number")
    return qs.filter(rw=rw) if rw else qs


def posyandu_list():
    return Posyandu.objects.select_related("rw").prefetch_related("rts").order_by("rw__number", "name")
