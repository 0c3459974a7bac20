"""What the commands share: the options of `build`, `watch` and `check`, made from the option
table (options.OPTIONS), and the BuildOptions made back from what was typed (an option typed
wins, handouts.toml gives the defaults of the others); the languages as a choice, the
settings found, and printing (every line sanitised, every error with its exit code)."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

import click

from . import options
from .documents.formats import FORMATS
from .documents.kinds import KINDS
from .errors import HandoutsError, Interrupted
from .options import Option

if TYPE_CHECKING:  # pragma: no cover
    from .options import BuildOptions
    from .settings import Settings

    _StrChoice = click.Choice[str]
else:  # click.Choice is generic (subscriptable) only from click 8.2; 8.1 is in our range
    _StrChoice = click.Choice

_Command = TypeVar("_Command", bound=Callable[..., Any])  # a command function, decorated


def _kind_names(ctx: click.Context, param: click.Parameter, values: tuple[str, ...]
                ) -> tuple[str, ...]:
    names = [name.strip() for value in values for name in value.split(",") if name.strip()]
    unknown = [name for name in names if name not in KINDS]
    if unknown:
        raise click.BadParameter(
            f"unknown handout kind {', '.join(unknown)}; choose among {', '.join(KINDS)}"
        )
    return tuple(names)


def click_option(spec: Option, help_text: str | None) -> Callable[[_Command], _Command]:
    """One option of the table as a Click option: its type, range or choices, default and
    help."""
    settings: dict[str, Any] = {"help": help_text, "metavar": spec.metavar}
    if spec.kind == "flag":
        settings.update(is_flag=True, default=spec.default)
    elif spec.kind == "kinds":
        settings.update(multiple=True, callback=_kind_names,
                        help=help_text.format(kinds=", ".join(KINDS)) if help_text else None)
    elif spec.kind == "format":
        settings.update(default=spec.default, show_default=True, type=_click_type(spec),
                        help=help_text.format(formats="; ".join(
                            f"{known.name}: {known.help}" for known in FORMATS.values()))
                        if help_text else None)
    else:
        settings.update(default=spec.default, show_default=True, type=_click_type(spec))
    return click.option(*spec.flags, spec.name, **settings)


def _click_type(spec: Option) -> Any:
    """Click's type for the option: a choice, a range, or text."""
    low = spec.low
    if spec.kind in ("choice", "language", "format"):
        return click.Choice(list(spec.words()))
    if spec.kind == "whole":
        return click.IntRange(None if low is None else int(low),
                              None if spec.high is None else int(spec.high))
    if spec.kind == "number":
        return click.FloatRange(low, spec.high, min_open=spec.above)
    return str


def table_options(command: str) -> Callable[[_Command], _Command]:
    """A decorator adding the table's options to `command` ("build" and "watch": every
    option with a flag; "check": those with a `check_help`), in the table's order."""
    chosen = [(spec, spec.help) for spec in options.OPTIONS if spec.flags and command != "check"]
    if command == "check":
        chosen = [(spec, spec.check_help) for spec in options.OPTIONS
                  if spec.flags and spec.check_help is not None]

    def decorate(function: _Command) -> _Command:
        for spec, help_text in reversed(chosen):
            function = click_option(spec, help_text)(function)
        return function

    return decorate


def typed_options(choices: dict[str, Any], settings: Settings | None) -> BuildOptions:
    """The build options typed, with handouts.toml's defaults for those not typed."""
    from .api import options_with

    context = click.get_current_context()
    values = {}
    for spec in options.OPTIONS:
        if not spec.field or spec.name not in choices:
            continue
        if settings is not None and spec.setting and context.get_parameter_source(
                spec.name) is click.core.ParameterSource.DEFAULT:
            continue  # the settings' default, else the option's own
        values[spec.name] = spec.from_word(choices[spec.name])
    return options_with(settings, **values)


class Languages(_StrChoice):
    """The language codes of the locale files, listed when the command line needs them (a
    locale folder that is wrong is then reported as our own error, not at import)."""

    def __init__(self) -> None:
        super().__init__([])

    @property
    def choices(self) -> tuple[str, ...]:
        from .sheet.locales import codes

        return codes()

    @choices.setter
    def choices(self, value: object) -> None:
        pass



def exit_code(error: HandoutsError) -> int:
    """1 for everything a user can fix; 128 + the signal for a stopped build, as shells do."""
    if isinstance(error, Interrupted):
        return 128 + error.signal_number
    return 1


def show_error(error: HandoutsError) -> None:
    echo(f"error: {error}", err=True)


# Control characters (C0 but tab and newline, DEL, C1) and the bidirectional overrides: a
# sheet's text, field names or file names must not move the cursor, retitle the window,
# clear the screen or reorder what is shown.
_UNPRINTABLE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f"
                          "\u202a-\u202e\u2066-\u2069]")


def sanitize(text: str) -> str:
    """`text` safe to print on a terminal: unprintable characters shown as escapes."""
    return _UNPRINTABLE.sub(lambda match: ascii(match.group())[1:-1], text)


def echo(message: str = "", *, err: bool = False, nl: bool = True) -> None:
    """Every line the command prints goes through here, sanitised."""
    click.echo(sanitize(message), err=err, nl=nl)


def found_settings() -> Settings | None:
    """handouts.toml of the current folder or a parent, checked; None without one."""
    from .settings import load_found

    return load_found()
