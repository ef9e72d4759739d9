"""The portal's settings read from the environment, strictly (as healthchecks'
hc/settings.py does): a value that is not one of those accepted stops the start
with the variable's name, the value and what is accepted, instead of being read
as a default ("ture" as false) or failing later with a traceback that names
nothing. A variable that is not set takes its default; a variable set to an
empty value is refused, since it means something different to different people
(DJANGO_DEBUG= was "off" before, would be the default "on" after).

Used by ita_portal/settings.py and ita_portal/gunicorn.conf.py, so that the web
server, the worker and every management command read the same values alike."""

import os

from django.core.exceptions import ImproperlyConfigured

TRUE = ("1", "true", "yes", "on")
FALSE = ("0", "false", "no", "off")
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")


def refuse(name: str, value: str, accepted: str, default) -> ImproperlyConfigured:
    return ImproperlyConfigured(
        f"{name}={value!r} is not accepted: {name} takes {accepted}; unset, it is {default}."
    )


def _given(name: str) -> str | None:
    """The variable's value without surrounding blanks, None when it is not set."""
    value = os.environ.get(name)
    return None if value is None else value.strip()


def envbool(name: str, default: bool) -> bool:
    """1/0, true/false, yes/no, on/off in any case; anything else refuses to start."""
    value = _given(name)
    if value is None:
        return default
    if value.lower() in TRUE:
        return True
    if value.lower() in FALSE:
        return False
    raise refuse(name, value, f"one of {', '.join(TRUE + FALSE)}", int(default))


def envint(name: str, default: int, *, minimum: int, maximum: int | None = None) -> int:
    """A whole number from `minimum` to `maximum` (inclusive; no upper bound if None)."""
    value = _given(name)
    if value is None:
        return default
    try:
        number = int(value)
    except ValueError:
        number = None
    too_large = maximum is not None and number is not None and number > maximum
    if number is None or number < minimum or too_large:
        within = f"from {minimum} to {maximum}" if maximum is not None else f"at least {minimum}"
        raise refuse(name, value, f"a whole number {within}", default)
    return number


def envfloat(name: str, default: float, *, minimum: float, maximum: float) -> float:
    """A number of seconds (decimals allowed) from `minimum` to `maximum`."""
    value = _given(name)
    if value is None:
        return default
    try:
        number = float(value)
    except ValueError:
        number = None
    if number is None or not minimum <= number <= maximum:  # NaN is refused too
        raise refuse(name, value, f"a number from {minimum:g} to {maximum:g}", f"{default:g}")
    return number


def envints(name: str, default: tuple[int, ...], *, minimum: int, maximum: int) -> list[int]:
    """Whole numbers from `minimum` to `maximum`, comma-separated, e.g. "14,7,1";
    returned without repeats, largest first."""
    value = _given(name)
    if value is None:
        return sorted(set(default), reverse=True)
    parts = [part.strip() for part in value.split(",")]
    if not all(p.isascii() and p.isdigit() and minimum <= int(p) <= maximum for p in parts):
        shown = ",".join(map(str, default))
        within = f"whole numbers from {minimum} to {maximum}, comma-separated"
        raise refuse(name, value, within, shown)
    return sorted({int(p) for p in parts}, reverse=True)


def envchoice(name: str, default: str, choices: tuple[str, ...]) -> str:
    """One of `choices`, compared without regard to case; returned as spelt there."""
    value = _given(name)
    if value is None:
        return default
    for choice in choices:
        if value.lower() == choice.lower():
            return choice
    raise refuse(name, value, f"one of {', '.join(choices)}", default)


def envurl(name: str, default: str, schemes: tuple[str, ...]) -> str:
    """A URL beginning with one of `schemes` (e.g. "redis://"), or empty when the
    default is empty (the service is then not used)."""
    value = _given(name)
    if value is None or (value == "" and default == ""):
        return default
    if not value.startswith(schemes):
        raise refuse(name, value, f"a URL beginning with {' or '.join(schemes)}", "not used")
    return value
