""""Did you mean ...?" for a misspelt name among the names that exist. Pure."""

from __future__ import annotations

from collections.abc import Iterable

CUTOFF = 0.75  # difflib's similarity ratio: `prdo`/`prod` is 0.75, `Europe/Londn`/`Europe/London` 0.96
# difflib's own default, for short values where one wrong letter weighs more (`30sec`/`30s` is 0.67) and for
# phrases matched against words (`-6h`/`now-6h`, `seconds`/`seconds (s)`)
LOOSE_CUTOFF = 0.6


def closest(word: str, choices: Iterable[str], *, cutoff: float = CUTOFF) -> str | None:
    """The known name the user most likely meant: the same name in another case or with spaces around it (the
    first such choice, when several differ only in case), else the nearest spelling."""
    known = list(choices)
    by_case: dict[str, str] = {}
    for choice in known:
        by_case.setdefault(choice.lower(), choice)
    if word.strip().lower() in by_case:
        return by_case[word.strip().lower()]
    import difflib  # only when a name is wrong: not on every run's start-up

    found = difflib.get_close_matches(word, known, n=1, cutoff=cutoff)
    return found[0] if found else None


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """` (did you mean X?)` to append to a message, or "" when nothing is close."""
    match = closest(word, choices)
    return f" (did you mean {match}?)" if match is not None and match != word else ""
