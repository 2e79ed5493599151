""""Did you mean ...?" for a misspelt name among the names that exist. Pure."""

from __future__ import annotations

from collections.abc import Iterable

CUTOFF = 0.75  # difflib's similarity ratio: `prdo`/`prod` is 0.75, `Europe/Londn`/`Europe/London` 0.96


def closest(word: str, choices: Iterable[str]) -> str | None:
    """The known name the user most likely meant: the same name in another case, else the nearest spelling."""
    known = list(choices)
    by_case = {choice.lower(): choice for choice in known}
    if word.lower() in by_case:
        return by_case[word.lower()]
    import difflib  # only when a name is wrong: not on every run's start-up

    found = difflib.get_close_matches(word, known, n=1, cutoff=CUTOFF)
    return found[0] if found else None


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """` (did you mean X?)` to append to a message, or "" when nothing is close."""
    match = closest(word, choices)
    return f" (did you mean {match}?)" if match is not None and match != word else ""
