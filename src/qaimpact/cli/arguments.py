"""Words on a command line that belong to no option: say which, and how to write them.

Two slips are common, and click's own message ("Got unexpected extra argument(s) (Qureshi)")
explains neither: a name with a space typed without quotes (``--owner Imran Qureshi``), whose
second word the shell passes on its own, and a folder of audits given without ``--audits``
(``qaimpact summary examples/service``). :class:`Command`, the class of every command, reads the
command line as click will and names the slip and its fix before click parses it.

Click's own refusals ("Missing argument 'FILE...'.", "No such option: --formt", "Option
'--today' requires an argument.", "No such command 'gradee'.") name a programmer's parameter and
no way out; :func:`reworded` says them again in plain words, with an example, for every command
and for the groups (:class:`Group`), exit code 2 as before.
"""

from __future__ import annotations

import difflib
import re
import shlex
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import typer
from typer.core import TyperCommand, TyperGroup

from qaimpact.cli import privacy_flags
from qaimpact.cli.options import OptionRefused, command_name
from qaimpact.models.listing import or_list

# Options whose value is free text that may hold a space: a person's or a team's name, a quarter
# written `Q3 2026`, a column of the cases list. Dates, ids and paths hold none.
_TEXT_OPTIONS = frozenset({"fca", "owner", "practitioner", "reviewer", "team", "quarter", "stratify"})
_AUDIT_SUFFIXES = (".yaml", ".yml")


@dataclass(frozen=True)
class _Word:
    """A word of the command line that is neither an option nor an option's value."""

    text: str
    # The text option and the words of its value this word follows directly, if any:
    # `--owner Imran Qureshi` gives ("--owner", ("Imran",)) for 'Qureshi'.
    after: tuple[str, tuple[str, ...]] | None


def _option(params: list[Any], token: str) -> Any:
    for param in params:
        if param.param_type_name == "option" and token in (*param.opts, *param.secondary_opts):
            return param
    return None


def _words(params: list[Any], args: list[str]) -> list[_Word]:
    """The words of ``args`` that are neither options nor their values, as click reads them."""
    words: list[_Word] = []
    after: tuple[str, tuple[str, ...]] | None = None
    index = 0
    while index < len(args):
        token = args[index]
        if token == "--":
            words.extend(_Word(rest, None) for rest in args[index + 1 :])
            break
        if token.startswith("--") and "=" in token:
            # `--owner=Imran Qureshi`: the option and the first word of its value in one.
            name, value = token.split("=", 1)
            option = _option(params, name)
            after = (name, (value,)) if option is not None and option.name in _TEXT_OPTIONS else None
            index += 1
            continue
        if token.startswith("-") and len(token) > 1:
            option = _option(params, token)
            takes_value = option is not None and not option.is_flag and not option.count
            if takes_value and index + 1 < len(args):
                after = (token, (args[index + 1],)) if option.name in _TEXT_OPTIONS else None
                index += 2
            else:
                after = None
                index += 1
            continue
        words.append(_Word(token, after))
        if after is not None:
            # The next word of the same unquoted name: `--owner Imran Ali Qureshi`.
            after = (after[0], (*after[1], token))
        index += 1
    return words


def _unoffered(params: list[Any], args: list[str]) -> str | None:
    """The first of ``--redact``, ``--publish`` (or their ``--no-`` forms) on the command line that
    the command does not take, as typed without any ``=value``; None if there is none."""
    index = 0
    while index < len(args):
        token = args[index]
        if token == "--":
            return None
        name = token.split("=", 1)[0]
        option = _option(params, name)
        if option is None and name in privacy_flags.FLAGS:
            return name
        takes_value = option is not None and not option.is_flag and not option.count and "=" not in token
        index += 2 if takes_value else 1
    return None


def _unknown_option(params: list[Any], args: list[str]) -> str | None:
    """The first option on the command line (before ``--``) that the command does not have, as
    typed without any ``=value`` (``--see`` for ``--seed``), or None. Its value, if one follows it,
    is no stray word: the option is the mistake, and click's refusal of it names the option meant."""
    index = 0
    while index < len(args):
        token = args[index]
        if token == "--":
            return None
        if token.startswith("-") and len(token) > 1:
            name = token.split("=", 1)[0]
            # A short option may hold its value (`-fjson`), as click reads it.
            option = _option(params, name) or (
                _option(params, token[:2]) if not token.startswith("--") else None
            )
            if option is None:
                return name
            attached = "=" in token or (not token.startswith("--") and len(token) > 2)
            takes_value = not option.is_flag and not option.count and not attached
            index += 2 if takes_value else 1
            continue
        index += 1
    return None


def _capacity(params: list[Any]) -> int | None:
    """How many words the command's own arguments take (None: any number)."""
    total = 0
    for param in params:
        if param.param_type_name == "argument":
            if param.nargs < 0:
                return None
            total += param.nargs
    return total


def _looks_like_path(word: str) -> bool:
    # A file meant as the command's own argument (`plan.csv`, `audits/x.yaml`), even one that
    # does not exist (its own message says so), is not the rest of a name.
    return (
        Path(word).exists()
        or "/" in word
        or "\\" in word
        or re.search(r"\.[A-Za-z]\w{0,4}$", word) is not None
    )


def _unquoted_name(words: list[_Word]) -> str | None:
    """The message for a value with spaces typed without quotes, if the command line has one."""
    for start, word in enumerate(words):
        if word.after is None or _looks_like_path(word.text):
            continue
        option, before = word.after
        name = [*before, word.text]
        for following in words[start + 1 :]:
            if following.after != (option, tuple(name)) or _looks_like_path(following.text):
                break
            name.append(following.text)
        stray, whole = " ".join(name[len(before) :]), " ".join(name)
        return (
            f"'{stray}' follows {option} {' '.join(before)} but is the value of no option: a value "
            f'with spaces must be in quotes, or only its first word is read. Write {option} "{whole}".'
        )
    return None


def _metavar(argument: Any) -> str:
    """An argument as the help's usage line names it: AUDIT, CODE."""
    return str(getattr(argument, "metavar", None) or argument.name.upper()).strip("[]{}.")


def _stray(command: str, params: list[Any], extras: list[str]) -> str:
    """The message for words the command has no place for."""
    one = len(extras) == 1
    quoted = [f"'{word}'" for word in extras]
    shown = quoted[0] if one else f"{', '.join(quoted[:-1])} and {quoted[-1]}"
    is_are = "is" if one else "are"
    takes_audits = any(param.name == "audits" for param in params)
    if (
        takes_audits
        and not _capacity(params)
        and all(Path(word).is_dir() or word.lower().endswith(_AUDIT_SUFFIXES) for word in extras)
    ):
        fix = " ".join(f"--audits {word}" for word in extras)
        return (
            f"{shown} {is_are} given on {'its' if one else 'their'} own, but {command} reads audits "
            f"only from the folders named with --audits. Write {fix}."
        )
    own = [_metavar(param) for param in params if param.param_type_name == "argument"]
    takes = f"only its {' and '.join(own)}" if own else "no word"
    return (
        f"{shown} {is_are} the value of no option: {command} takes {takes} besides its options. Put "
        f"each value just after its option (`{command} -h` lists them), and a value with spaces in quotes."
    )


def _shown(argument: Any) -> str:
    """An argument as the usage line and the help name it: its metavar (``FILE...``, ``[ID]``),
    else as click writes it (``NAME``, ``[NAME]`` when optional, ``NAME...`` for several)."""
    if argument.metavar:
        return str(argument.metavar)
    name = str(argument.name).upper()
    name = name if argument.required else f"[{name}]"
    return f"{name}..." if argument.nargs != 1 else name


def _named_as_shown(argument: Any) -> Callable[[Any], tuple[str, str] | None]:
    """``argument``'s help record, named as :func:`_shown` names it: typer 0.29 and later add
    its Python type (``FILE... <list[Path]>``), which tells a social worker nothing."""
    record = argument.get_help_record

    def named(ctx: Any) -> tuple[str, str] | None:
        found = record(ctx)
        return None if found is None else (_shown(argument), found[1])

    return named


# A command line that works, for each command that needs something on it (after `qaimpact `):
# shown when that is missing. {framework} and {other} are the short names of the frameworks on the
# search path (never an id written here: a service's own frameworks are named the same way).
_EXAMPLES = {
    "grade": "qaimpact grade audits/",
    "validate": "qaimpact validate audits/",
    "programme": "qaimpact programme plans/2026-10.csv plans/2026-11.csv --audits audits/",
    "sample": "qaimpact sample --cases cases.csv --per-team 2",
    "new": "qaimpact new --standards {framework} -o audit.yaml",
    "fmt": "qaimpact fmt audits/",
    "migrate": "qaimpact migrate audits/ --to {framework}",
    "import": "qaimpact import tracker.xlsx --mapping tracker.mapping.yaml",
    "export": "qaimpact export audits/ -o audits.xlsx",
    "explain": "qaimpact explain QA317",
    "standards show": "qaimpact standards show {framework}",
    "standards diff": "qaimpact standards diff {framework} {other}",
}


def _errors() -> Any:
    """The module of click's exceptions, as the typer installed uses it: typer carries its own
    copy of click (``typer._click``) in the releases allowed, found through typer's own name."""
    return sys.modules[typer.BadParameter.__module__]


def _example(command: str) -> str | None:
    """A command line that works for ``command`` (``qaimpact new``), with the frameworks on the
    search path; None for a command with no example."""
    example = _EXAMPLES.get(command.removeprefix("qaimpact "))
    if example is None or "{" not in example:
        return example
    from qaimpact.base.errors import QaImpactError
    from qaimpact.cli.options import load_registry

    try:
        frameworks = load_registry(None).frameworks()
    except (QaImpactError, OSError):
        # The search path is broken: its own message comes once the command runs.
        frameworks = []
    shorts = [fw.short_title for fw in frameworks]
    # A short title two frameworks share names neither (the command would refuse it): the id does.
    names = [
        shlex.quote(short) if shorts.count(short) == 1 else fw.id
        for fw, short in zip(frameworks, shorts, strict=True)
    ]
    names = names or ["ID"]
    return example.format(framework=names[0], other=names[-1] if len(names) > 1 else names[0])


def _what(param: Any) -> str:
    """What a parameter holds, from its help: its first clause, as a sentence's middle reads it."""
    text = " ".join(str(getattr(param, "help", None) or "").split())
    # The clause ends at the first ". " or ": " outside brackets: an aside such as "(e.g. ...)" or
    # "(default: ...)" holds them too. A bracket the clause leaves open is cut off with what follows.
    depth, end, opened = 0, len(text), -1
    for at, char in enumerate(text):
        if char == "(":
            depth, opened = depth + 1, at if depth == 0 else opened
        elif char == ")":
            depth = max(depth - 1, 0)
        elif depth == 0 and text[at : at + 2] in (". ", ": "):
            end = at
            break
    text = text[:end]
    if depth > 0:
        text = text[:opened]
    text = text.strip().rstrip(".")
    return text[:1].lower() + text[1:]


def _option_shown(param: Any) -> str:
    """An option as a command line writes it with its value: ``--standards ID``."""
    name = max(param.opts, key=len)
    return name if param.is_flag else f"{name} {param.metavar or param.name.upper()}"


def _missing(command: str, param: Any) -> str:
    shown = _shown(param) if param.param_type_name == "argument" else _option_shown(param)
    what = _what(param)
    example = _example(command)
    fix = f"Add it, for example: {example}" if example else f"Add it (`{command} -h` shows how)."
    return f"{command} needs {shown}{f': {what}' if what else ''}. {fix}"


def _no_such_option(command: str, params: list[Any], exc: Any) -> str:
    # The guesses are made here, not taken from click: its list differs between releases.
    names = [name for p in params if p.param_type_name == "option" for name in (*p.opts, *p.secondary_opts)]
    guesses = difflib.get_close_matches(str(exc.option_name), names, n=2)
    guess = f" Did you mean {or_list(guesses)}?" if guesses else ""
    return f"{command} has no option {exc.option_name}.{guess} `{command} -h` lists the options it takes."


def _bad_option_usage(command: str, params: list[Any], exc: Any) -> str | None:
    option = _option(params, str(exc.option_name))
    if option is None:
        return None
    name = exc.option_name
    if option.is_flag:
        return f"{name} is a switch: it takes no value. Write {name} alone, with nothing after '='."
    # The help's first clause without its closing aside: "folder of audits", not "... (repeatable)".
    what = re.sub(r"\s*\([^()]*\)$", "", _what(option))
    metavar = str(option.metavar or option.name.upper())
    # A choice's metavar lists its values ([text|json]): the example takes the first.
    value = metavar.strip("[]").split("|")[0] if "|" in metavar else metavar
    return (
        f"{name} needs a value just after it{f' ({what})' if what else ''}, and none was given. "
        f"Write it as in {name} {value}; `{command} -h` says what it takes."
    )


def reworded(ctx: Any, params: list[Any], exc: Exception) -> str | None:
    """Click's refusal ``exc`` of a command line, said in plain words with its fix; None for one
    that is already in qaimpact's words or that click words well enough (help asked for)."""
    errors = _errors()
    if isinstance(exc, OptionRefused | errors.NoArgsIsHelpError):
        return None
    command = command_name(ctx)
    if isinstance(exc, errors.MissingParameter) and exc.param is not None:
        return _missing(command, exc.param)
    if isinstance(exc, errors.NoSuchOption):
        return _no_such_option(command, params, exc)
    if isinstance(exc, errors.BadOptionUsage):
        return _bad_option_usage(command, params, exc)
    return None


def _refuse(ctx: Any, message: str) -> OptionRefused:
    refused = OptionRefused(lambda _command: message)
    refused.ctx = ctx
    return refused


class _PlainWords:
    """Click's refusals of a command line (a missing argument, an unknown option, an option
    without its value) said in plain words (:func:`reworded`); mixed into a typer group or
    command, before it."""

    params: list[Any]

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        """Parse as click does; refuse a mistyped command line in plain words."""
        try:
            parsed: list[str] = super().parse_args(ctx, args)  # type: ignore[misc]
        except _errors().UsageError as exc:
            reason = reworded(ctx, self.params, exc)
            if reason is None:
                raise
            raise _refuse(ctx, reason) from None
        return parsed


class Group(_PlainWords, TyperGroup):
    """The typer group of ``qaimpact`` and ``qaimpact standards``: a command or an option it does
    not have is refused in plain words (:func:`reworded`)."""

    def resolve_command(self, ctx: Any, args: list[str]) -> Any:
        """The command ``args`` name; one that does not exist is refused with the commands it
        was most likely meant for."""
        try:
            return super().resolve_command(ctx, args)
        except _errors().UsageError as exc:
            if isinstance(exc, OptionRefused) or not args:
                raise
            command = command_name(ctx)
            names = self.list_commands(ctx)
            guesses = difflib.get_close_matches(args[0], names, n=2)
            guess = f" Did you mean {or_list(guesses)}?" if guesses else ""
            raise _refuse(
                ctx,
                f"{command} has no command '{args[0]}'.{guess} `{command} -h` lists its commands.",
            ) from None


class Command(_PlainWords, TyperCommand):
    """A typer command that names a word belonging to no option, and how to write it; and its
    arguments as their metavars say, on every typer release allowed (:func:`_shown`)."""

    def collect_usage_pieces(self, ctx: Any) -> list[str]:
        """The usage line after the command's name, as click builds it, each argument written as
        :func:`_shown` writes it (typer 0.29 wrote ``{FILE...}...`` for ``FILE...``)."""
        pieces = [self.options_metavar] if self.options_metavar else []
        for param in self.get_params(ctx):
            if param.param_type_name == "argument":
                pieces.append(_shown(param))
            else:
                pieces.extend(param.get_usage_pieces(ctx))
        return pieces

    def format_options(self, ctx: Any, formatter: Any) -> None:
        """The Arguments and Options sections, each argument named as :func:`_shown` names it."""
        for param in self.get_params(ctx):
            if param.param_type_name == "argument" and "get_help_record" not in vars(param):
                param.get_help_record = _named_as_shown(param)  # type: ignore[method-assign,assignment]
        super().format_options(ctx, formatter)

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        """Parse as :class:`_PlainWords` does, after refusing an unquoted name or a stray folder in
        plain words."""
        if not ctx.resilient_parsing:
            words = _words(self.params, args)
            flag = _unoffered(self.params, args)
            # An option the command does not have is said first, as click says it (with the option
            # meant): its value is then no stray word (`--see 5` is --seed mistyped).
            unknown = flag is None and _unknown_option(self.params, args) is not None
            message: str | None = None
            if flag:
                message = privacy_flags.refusal(command_name(ctx), flag)
            elif not unknown:
                message = _unquoted_name(words)
            capacity = _capacity(self.params)
            if message is None and not unknown and capacity is not None and len(words) > capacity:
                extras = [word.text for word in words[capacity:]]
                message = _stray(command_name(ctx), self.params, extras)
            if message is not None:
                raise _refuse(ctx, message)
        return super().parse_args(ctx, args)
