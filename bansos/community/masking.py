"""How a beneficiary's name is shown on the public list: enough for a neighbour to recognise, no more."""

from __future__ import annotations

from bansos.community.models import Masking


def mask_name(name: str, style: str = Masking.STARS) -> str:
    """``Sri Wahyuni`` -> ``S** W******`` (stars) or ``S. W.`` (initials); empty words are dropped."""
    words = [w for w in (name or "").split() if w]
    if style == Masking.INITIALS:
        return " ".join(f"{w[0].upper()}." for w in words)
    return " ".join(w[0].upper() + "*" * (len(w) - 1) for w in words)
