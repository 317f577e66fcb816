"""Typed conversion of loaded YAML values into frozen dataclasses, collecting every problem.

The models (config and data) are plain dataclasses; their type hints *are* the schema. One
walker checks types, rejects unknown keys with a suggestion for likely typos, fills defaults,
and the same hints produce the published JSON Schema. Messages are in Vietnamese because the
people who fix the data read Vietnamese.
"""

from __future__ import annotations

import dataclasses
import difflib
import re
import types
import typing
from collections.abc import Callable
from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, Literal, TypeVar, get_args, get_origin, get_type_hints

from docgen.errors import Problem, ValidationError
from docgen.i18n import N_, _, ngettext
from docgen.workspace.yamlio import KeyPath, Source, impossible_date, load_yaml

T = TypeVar("T")

#: Extra spellings accepted for a Literal type, mapped to the canonical value.
LITERAL_ALIASES: dict[object, dict[str, str]] = {}
#: Text fields printed inside a sentence, a heading or a table cell, by model class: a line
#: break there (often a YAML "|" or ">" block by mistake) is reported instead of printed.
SINGLE_LINE: dict[type, set[str]] = {}
#: Decimal values beyond this are typing mistakes (scores are percentages, coefficients small).
DECIMAL_LIMIT = Decimal(10) ** 12

_DMY = re.compile(r"^\s*(\d{1,2})/(\d{1,2})/(\d{4})\s*$")
_ISO = re.compile(r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})\s*$")
_HM = re.compile(r"^\s*(\d{1,2})\s*(?::|giờ|h)\s*(\d{2})?\s*(?:phút)?\s*$")
_DECIMAL_COMMA = re.compile(r"^\s*-?\d+(,\d+)?\s*$")


def doc(text: str, default: Any = dataclasses.MISSING, **kw: Any) -> Any:
    """A dataclass field carrying its user-facing description (used by the JSON Schema)."""
    if default is dataclasses.MISSING and "default_factory" not in kw:
        return dataclasses.field(metadata={"doc": text}, **kw)
    return dataclasses.field(default=default, metadata={"doc": text}, **kw)


#: What a value of each scalar type looks like, as messages say it ("cần số nguyên, …").
_TYPE_NAMES: dict[Any, str] = {
    str: N_("chuỗi chữ"),
    int: N_("số nguyên"),
    Decimal: N_("số"),
    bool: N_("true/false"),
    date: N_("ngày (YYYY-MM-DD hoặc dd/mm/yyyy)"),
    time: N_("giờ (HH:MM)"),
}


def _type_name(tp: Any) -> str:
    if tp in _TYPE_NAMES:
        return _(_TYPE_NAMES[tp])
    origin = get_origin(tp)
    if origin is list:
        return _("danh sách")
    if origin is dict or dataclasses.is_dataclass(tp):
        return _("bảng khóa: giá trị (mapping)")
    if origin is Literal:
        return _("một trong: {choices}").format(choices=", ".join(str(a) for a in get_args(tp)))
    return str(tp)


def _got(value: Any, bare: bool = False) -> str:
    """The value received, as messages say it; `bare`: a mapping or list without "một"."""
    if value is None:
        return _("để trống")
    if isinstance(value, bool):
        return _("giá trị {value}").format(value=str(value).lower())
    if isinstance(value, dict):
        return _("bảng khóa") if bare else _("một bảng khóa")
    if isinstance(value, list):
        return _("danh sách") if bare else _("một danh sách")
    text = str(value)
    if len(text) <= 60:
        return f"'{text}'"
    return ngettext("'{text}…' ({n} ký tự)", "'{text}…' ({n} ký tự)", len(text)).format(
        text=text[:59], n=len(text)
    )


def _description(fld: dataclasses.Field[Any]) -> str:
    """A field's description (its `doc`) in the language in use, for messages."""
    text = str(fld.metadata.get("doc", ""))
    return _(text) if text else ""  # gettext("") would be the catalog's header


class Converter:
    """Converts one file's values; problems accumulate instead of raising."""

    def __init__(self, source: Source) -> None:
        self.source = source
        self.problems: list[Problem] = []

    def fail(self, path: KeyPath, message: str, hint: str = "") -> None:
        self.problems.append(self.source.problem(path, message, hint))

    def convert(self, value: Any, tp: Any, path: KeyPath) -> Any:
        origin = get_origin(tp)
        if origin in (typing.Union, types.UnionType):
            options = [a for a in get_args(tp) if a is not type(None)]
            if value is None:
                return None
            return self.convert(value, options[0], path)
        if dataclasses.is_dataclass(tp) and isinstance(tp, type):
            return self.dataclass(value, tp, path)
        if origin is list:
            if not isinstance(value, list):
                self.fail(path, _expected(tp, value))
                return []
            (item_tp,) = get_args(tp)
            return [self.convert(v, item_tp, (*path, i)) for i, v in enumerate(value)]
        if origin is dict:
            return self._dict(value, tp, path)
        if origin is Literal:
            return self._literal(value, tp, path)
        return self._scalar(value, tp, path)

    def _dict(self, value: Any, tp: Any, path: KeyPath) -> dict[Any, Any]:
        if not isinstance(value, dict):
            self.fail(path, _expected(tp, value))
            return {}
        key_tp, value_tp = get_args(tp)
        out: dict[Any, Any] = {}
        for key, item in value.items():
            if key_tp is int and isinstance(key, str) and key.strip().isdigit():
                key = int(key)
            if key_tp is int and not isinstance(key, int):
                self.fail(
                    (*path, key),
                    _("khóa '{key}' phải là số nguyên (ví dụ một năm: 2022)").format(key=key),
                )
                continue
            if key_tp is str:
                key = str(key)
            out[key] = self.convert(item, value_tp, (*path, key))
        return out

    def _literal(self, value: Any, tp: Any, path: KeyPath) -> Any:
        allowed = get_args(tp)
        if value in allowed:
            return value
        aliases = LITERAL_ALIASES.get(tp, {})
        if isinstance(value, str):
            folded = value.strip().casefold()
            for spelling, canonical in aliases.items():
                if spelling.casefold() == folded:
                    return canonical
        choices = [str(a) for a in allowed]
        hint = _suggest(str(value), [*choices, *aliases])
        self.fail(
            path,
            _("giá trị {got} không hợp lệ; cần một trong: {choices}").format(
                got=_got(value), choices=", ".join(choices)
            ),
            hint,
        )
        return allowed[0]

    def _scalar(self, value: Any, tp: Any, path: KeyPath) -> Any:
        raw = self.source.raw.get(path)
        if tp is str:
            if isinstance(value, str):
                return value
            if value is not None and raw is not None:
                return raw  # an unquoted 05, 1.50, yes or 2023-01-01 keeps its exact text
        elif tp is int:
            if isinstance(value, int) and not isinstance(value, bool):
                return value
        elif tp is Decimal:
            number: Decimal | None = None
            if isinstance(value, int | float) and not isinstance(value, bool):
                try:
                    number = Decimal(raw if raw is not None else str(value))
                except InvalidOperation:
                    number = Decimal(str(value))
            if isinstance(value, str) and _DECIMAL_COMMA.match(value):
                number = Decimal(value.strip().replace(",", "."))
            if number is not None:
                if number.is_finite() and abs(number) < DECIMAL_LIMIT:
                    return number
                self.fail(
                    path, _("số {got} nằm ngoài phạm vi cho phép").format(got=_got(raw or value))
                )
                return Decimal(0)
        elif tp is bool:
            if isinstance(value, bool):
                return value
        elif tp is date:
            if isinstance(value, date) and not isinstance(value, datetime):
                return value
            if isinstance(value, str):
                match = _DMY.match(value)
                iso = _ISO.match(value)
                if match or iso:
                    if match:
                        day, month, year = (int(g) for g in match.groups())
                    else:
                        assert iso is not None
                        year, month, day = (int(g) for g in iso.groups())
                    try:
                        return date(year, month, day)
                    except ValueError:
                        self.fail(
                            path,
                            _("ngày '{date}' không tồn tại ({reason})").format(
                                date=value, reason=impossible_date(year, month, day)
                            ),
                        )
                        return date(year, 1, 1)
        elif tp is time:
            text = raw if raw is not None else value
            if isinstance(text, str):
                match = _HM.match(text)
                if match:
                    hour, minute = int(match.group(1)), int(match.group(2) or 0)
                    if hour < 24 and minute < 60:
                        return time(hour, minute)
        else:  # pragma: no cover - a model uses a type the converter does not know
            raise TypeError(f"unsupported schema type {tp!r}")
        self.fail(path, _expected(tp, value))
        return _placeholder(tp)

    def dataclass(self, value: Any, cls: type[T], path: KeyPath) -> T:
        fields = {f.name: f for f in dataclasses.fields(cls)}  # type: ignore[arg-type]
        hints = get_type_hints(cls)
        if not isinstance(value, dict):
            # one problem, not one more per missing key of an object that is not there
            required = [n for n, f in fields.items() if _required(f)]
            hint = _("cần các khóa: {keys}").format(keys=", ".join(required)) if required else ""
            if path:
                self.fail(
                    path,
                    _("cần bảng khóa: giá trị (mapping), nhận được {got}").format(got=_got(value)),
                    hint,
                )
            else:
                self.fail(
                    path,
                    _("tệp phải là một bảng khóa: giá trị (mapping), nhận được {got}").format(
                        got=_got(value, bare=True)
                    ),
                    hint,
                )
            return typing.cast(T, _placeholder(cls))
        kwargs: dict[str, Any] = {}
        for key in value:
            if key not in fields:
                hint = _suggest(str(key), list(fields))
                self.fail(
                    (*path, key),
                    _("khóa '{key}' không được hỗ trợ ở đây").format(key=key),
                    hint or _("các khóa hợp lệ: {keys}").format(keys=", ".join(fields)),
                )
        for name, fld in fields.items():
            if name in value:
                kwargs[name] = self.convert(value[name], hints[name], (*path, name))
                self._check_text(cls, fld, kwargs[name], value[name], (*path, name))
            elif fld.default is dataclasses.MISSING and fld.default_factory is dataclasses.MISSING:
                self.problems.append(self.source.missing(path, name, _description(fld)))
                kwargs[name] = _placeholder(hints[name])
        return cls(**kwargs)

    def _check_text(
        self, cls: type, fld: dataclasses.Field[Any], value: Any, given: Any, path: KeyPath
    ) -> None:
        """A required text is not blank; a single-line text has no line break."""
        if _required(fld) and isinstance(given, str) and not given.strip():
            self.fail(
                path,
                _("'{key}' không được để trống ({description})").format(
                    key=fld.name, description=_description(fld)
                ),
            )
        if fld.name not in SINGLE_LINE.get(cls, set()):
            return
        items = [(path, value)] if isinstance(value, str) else []
        if isinstance(value, list):
            items = [((*path, i), v) for i, v in enumerate(value) if isinstance(v, str)]
        for where, text in items:
            if "\n" in text:
                at = text.index("\n") + 1
                self.fail(
                    where,
                    _("giá trị phải viết trên một dòng (xuống dòng ở vị trí {position})").format(
                        position=at
                    ),
                    _("bỏ dấu '|' hoặc '>' của YAML và nối các dòng"),
                )


def _expected(tp: Any, value: Any) -> str:
    """The message of a value of the wrong type: "cần <type>, nhận được <value>"."""
    return _("cần {expected}, nhận được {got}").format(expected=_type_name(tp), got=_got(value))


def _required(fld: dataclasses.Field[Any]) -> bool:
    return fld.default is dataclasses.MISSING and fld.default_factory is dataclasses.MISSING


def load_model(
    path: Path, cls: type[T], check: Callable[[T, Callable[..., Problem]], list[Problem]]
) -> T:
    """Load one YAML file into `cls`, then run `check`; raise every problem at once."""
    value, source, found = load_yaml(path)
    if value is None:
        raise ValidationError(found)
    converter = Converter(source)
    model = converter.dataclass(value, cls, ())
    converted = found + [c for c in converter.problems if not shadowed(c, found)]
    checks = check(model, source.problem)
    problems = converted + [c for c in checks if not shadowed(c, converted)]
    if problems:
        raise ValidationError(problems)
    return model


def shadowed(check: Problem, conversion: list[Problem]) -> bool:
    """A rule check on a value that already failed conversion would only repeat the error."""
    for p in conversion:
        if p.file != check.file:
            continue
        if (
            (not p.path and not p.cell)  # a whole file (a workbook's header cell is not)
            or check.path == p.path
            or check.path.startswith((p.path + ".", p.path + "["))
        ):
            return True
    return False


def _placeholder(tp: Any) -> Any:
    """A stand-in value so conversion can go on and report later problems too."""
    origin = get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        return None
    if origin is list:
        return []
    if origin is dict:
        return {}
    if origin is Literal:
        return get_args(tp)[0]
    if dataclasses.is_dataclass(tp) and isinstance(tp, type):
        values = {
            f.name: _placeholder(get_type_hints(tp)[f.name])
            for f in dataclasses.fields(tp)
            if f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING
        }
        return tp(**values)
    defaults: dict[Any, Any] = {
        str: "",
        int: 0,
        Decimal: Decimal(0),
        bool: False,
        date: date(2000, 1, 1),
        time: time(0, 0),
    }
    return defaults[tp]


def _suggest(word: str, choices: list[str]) -> str:
    close = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    if not close:
        close = difflib.get_close_matches(word.casefold(), [c.casefold() for c in choices], n=1)
    return _("có phải ý bạn là '{suggestion}'?").format(suggestion=close[0]) if close else ""


def parse_date(text: str, where: str) -> date:
    """A date typed on the command line, dd/mm/yyyy or yyyy-mm-dd, as data files accept it;
    `where` names it in the error ("--date")."""
    converter = Converter(Source(where))
    day = converter.convert(text, date, ())
    if converter.problems:
        raise ValidationError(converter.problems)
    return typing.cast(date, day)


def suggest(word: str, choices: list[str]) -> str:
    """Public typo hint used by the reference checks too."""
    return _suggest(word, choices)


# ---------------------------------------------------------------------------------------------
# JSON Schema


def json_schema(cls: type, title: str) -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of a model, so editors can validate data files."""
    defs: dict[str, Any] = {}
    root = _schema_of(cls, defs)
    schema: dict[str, Any] = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": title,
        **defs.pop(cls.__name__),
    }
    del root
    if defs:
        schema["$defs"] = dict(sorted(defs.items()))
    return schema


def _schema_of(tp: Any, defs: dict[str, Any]) -> dict[str, Any]:
    origin = get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        options = [a for a in get_args(tp) if a is not type(None)]
        return {"anyOf": [_schema_of(options[0], defs), {"type": "null"}]}
    if dataclasses.is_dataclass(tp) and isinstance(tp, type):
        name = tp.__name__
        if name not in defs:
            defs[name] = {}  # guard against recursion
            hints = get_type_hints(tp)
            props: dict[str, Any] = {}
            required: list[str] = []
            for fld in dataclasses.fields(tp):
                prop = _schema_of(hints[fld.name], defs)
                if fld.metadata.get("doc"):
                    prop = {"description": fld.metadata["doc"], **prop}
                props[fld.name] = prop
                if (
                    fld.default is dataclasses.MISSING
                    and fld.default_factory is dataclasses.MISSING
                ):
                    required.append(fld.name)
            entry: dict[str, Any] = {"type": "object", "properties": props}
            if tp.__doc__:
                entry = {"description": tp.__doc__.strip().splitlines()[0], **entry}
            if required:
                entry["required"] = required
            entry["additionalProperties"] = False
            defs[name] = entry
        return {"$ref": f"#/$defs/{name}"}
    if origin is list:
        return {"type": "array", "items": _schema_of(get_args(tp)[0], defs)}
    if origin is dict:
        key_tp, value_tp = get_args(tp)
        out: dict[str, Any] = {"type": "object", "additionalProperties": _schema_of(value_tp, defs)}
        if key_tp is int:
            out["propertyNames"] = {"pattern": "^[0-9]{4}$"}
        return out
    if origin is Literal:
        values = list(get_args(tp)) + list(LITERAL_ALIASES.get(tp, {}))
        return {"enum": values}
    simple: dict[Any, dict[str, Any]] = {
        str: {"type": ["string", "number"]},
        int: {"type": "integer"},
        Decimal: {"type": ["number", "string"], "pattern": r"^-?\d+(,\d+)?$"},
        bool: {"type": "boolean"},
        date: {
            "type": "string",
            "pattern": r"^(\d{4}-\d{2}-\d{2}|\d{1,2}/\d{1,2}/\d{4})$",
        },
        time: {"type": ["string", "integer"], "pattern": r"^\d{1,2}:\d{2}$"},
    }
    return dict(simple[tp])
