"""The command line's options of `build`, `watch` and `check`, made from the option table
(options.OPTIONS), and the BuildOptions made back from what was typed: an option typed wins,
handouts.toml gives the defaults of the others."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

import click

from . import options
from .documents.formats import FORMATS
from .documents.kinds import KINDS
from .options import Option

if TYPE_CHECKING:  # pragma: no cover
    from .options import BuildOptions
    from .settings import Settings

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
