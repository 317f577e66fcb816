"""Read YAML files into plain values plus a map from key paths to line numbers.

PyYAML's ``safe_load`` forgets where each value came from and silently keeps the last of two
duplicate keys. Validation errors must name the file, the line and the key, so we compose the
node graph ourselves and build the values while recording every node's line.
"""

from __future__ import annotations

import calendar
import dataclasses
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from docgen.errors import Problem
from docgen.i18n import N_, _, language, ngettext

Key = str | int
KeyPath = tuple[Key, ...]

#: Refuse YAML graphs larger than this (alias "billion laughs" bombs expand through aliases).
MAX_NODES = 200_000
#: Refuse nesting deeper than this; no docgen file needs more than a handful of levels.
MAX_DEPTH = 50
#: Refuse files larger than this before parsing (the largest real docgen file is ~30 KB).
MAX_BYTES = 5 * 1024 * 1024
#: Refuse alias expansions that would put more text than this into the values.
MAX_CHARS = 20_000_000
#: Character problems listed per file; the rest are counted in one summary line.
MAX_CHAR_PROBLEMS = 10

# Characters XML 1.0 forbids: a .docx containing one is corrupt. Excel pastes U+000B often.
# Lone surrogates can only come from "\ud800" escapes in double-quoted YAML strings.
_XML_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
# Everything YAML's reader accepts after line breaks are unified to "\n"; the rest (controls,
# DEL and C1 controls, U+0085/U+2028/U+2029 which YAML silently treats as line breaks) is
# reported with its line and column before the parser sees it.
_NOT_YAML_TEXT = re.compile(
    "[^\t\n\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]"
)
# docxtpl turns these back into "{{", "}}", "{%", "%}" after rendering: the "_" would be lost.
_DOCXTPL_ESCAPES = re.compile(r"\{_\{|\}_\}|\{_%|%_\}")
_TAG = "tag:yaml.org,2002:"
_SCALAR_TAGS = {_TAG + t for t in ("str", "int", "float", "bool", "null", "timestamp")}
_MERGE = _TAG + "merge"
_TEXT_TAGS = {_TAG + "value", _MERGE}
#: The libyaml parser (C) when PyYAML was built with it: ~20 times faster on large files.
_Loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def format_path(path: KeyPath) -> str:
    """Render a key path the way users read it: ``submissions[0].meeting.date``."""
    out = ""
    for key in path:
        if isinstance(key, int):
            out += f"[{key}]"
        else:
            out += f".{key}" if out else key
    return out


@dataclass
class Source:
    """Where the values of one file came from: display name, line per path, raw scalar text."""

    file: str
    lines: dict[KeyPath, int] = field(default_factory=dict)
    raw: dict[KeyPath, str] = field(default_factory=dict)

    def line(self, path: KeyPath) -> int | None:
        """Line of the nearest enclosing node that has one (a missing key points at its parent)."""
        while True:
            if path in self.lines:
                return self.lines[path]
            if not path:
                return None
            path = path[:-1]

    def problem(self, path: KeyPath, message: str, hint: str = "") -> Problem:
        return Problem(self.file, self.line(path), format_path(path), message, hint)

    def missing(self, path: KeyPath, key: str, description: str) -> Problem:
        """Required `key` absent under `path` (a workbook names the empty cell instead)."""
        message = _("thiếu khóa bắt buộc '{key}' ({description})").format(
            key=key, description=description
        )
        return self.problem(path, message)


class _Composer:
    """Turns a composed node graph into values, recording lines and raw scalar text.

    Aliases are expanded here, so the node, character and depth budgets are enforced here.
    """

    def __init__(self, source: Source, problems: list[Problem]) -> None:
        self.source = source
        self.problems = problems
        self.constructor = yaml.constructor.SafeConstructor()
        self.count = 0
        self.chars = 0

    def tick(self, node: yaml.Node, path: KeyPath) -> None:
        """Count one node (or one merge) against the budget; alias bombs stop here."""
        self.count += 1
        if self.count > MAX_NODES:
            raise _TooBig(
                _too_many_nodes(),
                node.start_mark.line + 1,
                path,
            )

    def build(self, node: yaml.Node, path: KeyPath) -> Any:
        self.tick(node, path)
        if len(path) > MAX_DEPTH:
            raise _TooBig(_too_deep(), node.start_mark.line + 1, path)
        self.source.lines[path] = node.start_mark.line + 1
        if isinstance(node, yaml.MappingNode) and node.tag == _TAG + "map":
            return self._mapping(node, path)
        if isinstance(node, yaml.SequenceNode) and node.tag == _TAG + "seq":
            return [self.build(child, (*path, i)) for i, child in enumerate(node.value)]
        if isinstance(node, yaml.ScalarNode) and node.tag in _SCALAR_TAGS:
            return self._scalar(node, path)
        if isinstance(node, yaml.ScalarNode) and node.style is None and node.tag in _TEXT_TAGS:
            # a plain "=" or "<<" as a value is text, not YAML 1.1's value/merge marker
            text = yaml.ScalarNode(_TAG + "str", node.value, node.start_mark, node.end_mark)
            return self._scalar(text, path)
        tag = node.tag.replace(_TAG, "!!")
        self.problems.append(
            self.source.problem(
                path,
                _("thẻ YAML '{tag}' không được hỗ trợ").format(tag=tag),
                _("bỏ thẻ (phần bắt đầu bằng '!') trước giá trị"),
            )
        )
        return None

    def _scalar(self, node: yaml.ScalarNode, path: KeyPath) -> Any:
        text = str(node.value)
        self.chars += len(text)
        if self.chars > MAX_CHARS:
            raise _TooBig(
                ngettext(
                    "tệp quá lớn hoặc có bí danh (alias) lồng nhau: hơn {n} ký tự",
                    "tệp quá lớn hoặc có bí danh (alias) lồng nhau: hơn {n} ký tự",
                    MAX_CHARS,
                ).format(n=MAX_CHARS),
                node.start_mark.line + 1,
                path,
            )
        if node.style is None:
            self.source.raw[path] = text
        try:
            value = self.constructor.construct_object(node, deep=True)
        except (ValueError, OverflowError, yaml.constructor.ConstructorError) as exc:
            # e.g. a date 2023-02-31: keep the text, report the value.
            message = _("giá trị '{value}' không hợp lệ: {reason}").format(
                value=_short(text), reason=exc
            )
            if node.tag == _TAG + "timestamp":
                message = _("ngày '{date}' không tồn tại ({reason})").format(
                    date=_short(text), reason=_timestamp_reason(text)
                )
            self.problems.append(self.source.problem(path, message))
            return text
        if isinstance(value, str):
            return self.text(value, path)
        return value

    def text(self, value: str, path: KeyPath) -> str:
        """NFC, one kind of line break, and nothing a .docx cannot hold or docxtpl would alter.

        Checked after parsing because double-quoted YAML escapes ("\\v", "\\0") produce
        characters the raw-text scan cannot see.
        """
        value = unicodedata.normalize("NFC", value.replace("\r\n", "\n").replace("\r", "\n"))
        bad = _XML_FORBIDDEN.search(value)
        if bad:
            self.problems.append(
                self.source.problem(
                    path,
                    _(
                        "ký tự điều khiển {code} ở vị trí {position} "
                        "của giá trị không được phép trong văn bản Word"
                    ).format(code=f"U+{ord(bad.group()):04X}", position=bad.start() + 1),
                    _("hãy xóa ký tự này (thường là mã thoát '\\' trong chuỗi có dấu nháy kép)"),
                )
            )
        escaped = escape_problem(value)
        if escaped:
            self.problems.append(self.source.problem(path, *escaped))
        return value

    def _mapping(self, node: yaml.MappingNode, path: KeyPath) -> dict[Key, Any]:
        result: dict[Key, Any] = {}
        for key_node, value_node, merged in self._pairs(node, path):
            key = self._key(key_node, path)
            if key is None:
                continue
            if key in result:
                if merged:  # an explicit key (or an earlier merge) overrides '<<: *defaults'
                    continue
                first = self.source.lines.get((*path, key))
                self.problems.append(
                    Problem(
                        self.source.file,
                        key_node.start_mark.line + 1,
                        format_path((*path, key)),
                        _("khóa '{key}' bị lặp lại (đã có ở dòng {line})").format(
                            key=key, line=first
                        ),
                        _("YAML chỉ giữ giá trị cuối; hãy xóa một trong hai"),
                    )
                )
                continue
            result[key] = self.build(value_node, (*path, key))
            self.source.lines[(*path, key)] = key_node.start_mark.line + 1
        return result

    def _key(self, key_node: yaml.Node, path: KeyPath) -> Key | None:
        """A mapping key as str or int; anything else is reported (by its kind, not its repr)."""
        key: Any = None
        if isinstance(key_node, yaml.ScalarNode) and key_node.tag in _SCALAR_TAGS:
            try:
                key = self.constructor.construct_object(key_node, deep=True)
            except (ValueError, OverflowError, yaml.constructor.ConstructorError):
                key = None
        if isinstance(key, str):
            return self.text(key, path)
        if isinstance(key, int) and not isinstance(key, bool):
            return key
        if isinstance(key_node, yaml.ScalarNode):
            message = _("khóa '{key}' không hợp lệ: khóa phải là chữ hoặc số").format(
                key=_short(str(key_node.value))
            )
        elif isinstance(key_node, yaml.SequenceNode):
            message = _("khóa là một danh sách không hợp lệ: khóa phải là chữ hoặc số")
        else:
            message = _("khóa là một bảng khóa không hợp lệ: khóa phải là chữ hoặc số")
        self.problems.append(
            Problem(
                self.source.file,
                key_node.start_mark.line + 1,
                format_path(path),
                message,
                _("đặt khóa trong dấu nháy nếu đó là chữ như yes, no, on, off, null"),
            )
        )
        return None

    def _pairs(
        self, node: yaml.MappingNode, path: KeyPath
    ) -> list[tuple[yaml.Node, yaml.Node, bool]]:
        """Own pairs, then those of '<<' merges (earlier merges first), flagged as merged.

        PyYAML's own flatten_mapping copies merged pairs without limit (a "merge bomb" grows
        9-fold per level) and makes every merged key a duplicate of an explicit one.
        """
        self.tick(node, path)
        own: list[tuple[yaml.Node, yaml.Node, bool]] = []
        sources: list[yaml.Node] = []
        for key_node, value_node in node.value:
            if key_node.tag != _MERGE:
                own.append((key_node, value_node, False))
            elif isinstance(value_node, yaml.SequenceNode):
                sources.extend(value_node.value)
            else:
                sources.append(value_node)
        merged: list[tuple[yaml.Node, yaml.Node, bool]] = []
        for source in sources:
            if not isinstance(source, yaml.MappingNode):
                self.problems.append(
                    self.source.problem(
                        path, _("giá trị của '<<' phải là bí danh của một bảng khóa (*tên)")
                    )
                )
                continue
            merged.extend((k, v, True) for k, v, _merged in self._pairs(source, path))
            if len(merged) > MAX_NODES:
                raise _TooBig(
                    _too_many_nodes(),
                    node.start_mark.line + 1,
                    path,
                )
        return own + merged


class _TooBig(Exception):
    """A resource limit was hit; the message names which one, `line` and `path` where."""

    def __init__(self, message: str, line: int | None = None, path: KeyPath = ()) -> None:
        super().__init__(message)
        self.line = line
        self.path = path


def _too_many_nodes() -> str:
    return ngettext(
        "tệp quá lớn hoặc có bí danh (alias) lồng nhau: hơn {n} nút",
        "tệp quá lớn hoặc có bí danh (alias) lồng nhau: hơn {n} nút",
        MAX_NODES,
    ).format(n=MAX_NODES)


def _too_deep() -> str:
    return ngettext("lồng quá sâu: hơn {n} cấp", "lồng quá sâu: hơn {n} cấp", MAX_DEPTH).format(
        n=MAX_DEPTH
    )



_YMD = re.compile(r"^\s*(\d{1,4})-(\d{1,2})-(\d{1,2})")


def impossible_date(year: int, month: int, day: int) -> str:
    """Why a day does not exist, in the user's language (Python's own reason is English)."""
    if not 1 <= year <= 9999:
        return _("năm {year} không hợp lệ").format(year=year)
    if not 1 <= month <= 12:
        return _("không có tháng {month}, tháng từ 1 đến 12").format(month=month)
    last = calendar.monthrange(year, month)[1]
    return _("tháng {month} năm {year} chỉ có {last} ngày").format(
        month=month, year=year, last=last
    )


def _timestamp_reason(text: str) -> str:
    match = _YMD.match(text)
    if match is None:
        return _("không đúng dạng ngày")
    year, month, day = (int(g) for g in match.groups())
    return impossible_date(year, month, day)


def _short(text: str, limit: int = 60) -> str:
    """A value shown in a message: long pastes are cut, not printed in full."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


_OTHER_BOMS = (
    (b"\x00\x00\xfe\xff", "UTF-32"),
    (b"\xff\xfe\x00\x00", "UTF-32"),
    (b"\xfe\xff", "UTF-16"),
    (b"\xff\xfe", "UTF-16"),
)
_SAVE_AS_UTF8 = N_("hãy mở và lưu lại dưới dạng UTF-8 (Unicode)")


def _decode(data: bytes, display: str) -> tuple[str | None, Problem | None]:
    """Strict UTF-8 (a BOM is accepted); legacy Vietnamese encodings are named, not garbled."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    for bom, name in _OTHER_BOMS:
        if data.startswith(bom):
            return None, Problem(
                display,
                None,
                "",
                _("tệp được lưu bằng mã {encoding}, không phải UTF-8").format(encoding=name),
                _(_SAVE_AS_UTF8),
            )
    if data.startswith(b"PK\x03\x04"):
        return None, Problem(
            display,
            None,
            "",
            _("tệp là tệp nén (Word .docx, Excel .xlsx, .zip), không phải văn bản YAML"),
            _("hãy chép nội dung vào một tệp văn bản .yaml"),
        )
    if b"\x00" in data:
        return None, Problem(
            display,
            data[: data.index(b"\x00")].count(b"\n") + 1,
            "",
            _("tệp chứa byte 0: không phải văn bản UTF-8 (có thể là UTF-16 hoặc tệp nhị phân)"),
            _(_SAVE_AS_UTF8),
        )
    try:
        return data.decode("utf-8"), None
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        return None, Problem(
            display,
            line,
            "",
            _("tệp không phải mã UTF-8 (byte {byte} ở vị trí {position})").format(
                byte=f"0x{data[exc.start]:02x}", position=exc.start
            ),
            _(
                "có thể tệp được lưu bằng bảng mã TCVN3 (ABC) hoặc Windows-1258; "
                "hãy mở và lưu lại dưới dạng UTF-8 (Unicode)"
            ),
        )


def _scan_characters(text: str, display: str) -> list[Problem]:
    """Characters YAML or Word cannot take, each with its line and column."""
    problems: list[Problem] = []
    total = 0
    for lineno, line in enumerate(text.split("\n"), start=1):  # not splitlines: it eats \x0b
        for match in _NOT_YAML_TEXT.finditer(line):
            total += 1
            if len(problems) == MAX_CHAR_PROBLEMS:
                continue
            char = match.group()
            code, column = f"U+{ord(char):04X}", match.start() + 1
            if char in "\x85\u2028\u2029":
                message = _("ký tự xuống dòng đặc biệt {code} ở cột {column} không được phép")
                hint = _("thường do sao chép từ web hoặc Word; hãy thay bằng Enter hoặc dấu cách")
            elif _XML_FORBIDDEN.match(char):
                message = _(
                    "ký tự điều khiển {code} ở cột {column} không được phép trong văn bản Word"
                )
                hint = _("thường do sao chép từ Excel; hãy xóa ký tự này")
            else:
                message = _("ký tự điều khiển {code} ở cột {column} không được phép")
                hint = _(
                    "thường do sao chép từ Excel hoặc do chuyển bảng mã sai; hãy xóa ký tự này"
                )
            message = message.format(code=code, column=column)
            problems.append(Problem(display, lineno, "", message, hint))
    if total > len(problems):
        problems.append(Problem(display, None, "", _more_characters(total - len(problems))))
    return problems


def _more_characters(count: int) -> str:
    return ngettext(
        "và {n} ký tự không hợp lệ khác", "và {n} ký tự không hợp lệ khác", count
    ).format(n=count)


def _locate(text: str, problems: list[Problem]) -> list[Problem]:
    """Add key paths to character problems by parsing a copy with those characters blanked."""
    source = Source("")
    try:
        node = _compose(_NOT_YAML_TEXT.sub("x", text), _Tree())
        if node is not None:
            _Composer(source, []).build(node, ())
    except (yaml.YAMLError, _Structure, _TooBig, RecursionError):
        return problems  # the file has other errors too; the line is still given
    deepest: dict[int, KeyPath] = {}
    for path, line in source.lines.items():
        if len(path) >= len(deepest.get(line, ())):
            deepest[line] = path
    return [
        dataclasses.replace(p, path=format_path(deepest[p.line]))
        if p.line in deepest and not p.path
        else p
        for p in problems
    ]


class _Structure(Exception):
    """A problem found while composing: an unknown alias, a second document, a limit."""

    def __init__(self, message: str, line: int, hint: str = "") -> None:
        super().__init__(message)
        self.line = line
        self.hint = hint


class _Tree:
    """Composes the node graph from parser events with an explicit stack (no recursion).

    yaml.compose recurses once per nesting level (a file of 10,000 "[" ends in a traceback)
    and lets a document grow without bound before we could count it; here depth and node
    count are checked as each event arrives, and the path being parsed is known for messages.
    """

    def __init__(self) -> None:
        self.resolver = yaml.resolver.Resolver()
        self.anchors: dict[str, yaml.Node] = {}
        # open collections: node, its anchor, and for mappings a key waiting for its value
        self.stack: list[tuple[yaml.Node, str | None, list[yaml.Node | None]]] = []
        self.root: yaml.Node | None = None
        self.count = 0
        self.documents = 0

    def where(self, line: int | None = None) -> KeyPath:
        """Key path of the value being parsed, as far as it is known.

        A key from a line above `line` (the error's) is left out if nothing follows it: the
        error is then on a line after that key's value ("gender" below "name"), not in it.
        """
        path: list[Key] = []
        for depth, (node, _anchor, pending) in enumerate(self.stack):
            if isinstance(node, yaml.SequenceNode):
                path.append(len(node.value))
                continue
            key = pending[0]
            if not isinstance(key, yaml.ScalarNode):
                break
            last = depth == len(self.stack) - 1
            if last and line is not None and key.start_mark.line + 1 < line:
                break
            text = str(key.value)
            path.append(int(text) if key.tag == _TAG + "int" and text.isdigit() else text)
        return tuple(path)

    def feed(self, event: yaml.Event) -> None:
        start: Any = event.start_mark  # libyaml's Mark or PyYAML's: both have .line
        end: Any = event.end_mark
        line = start.line + 1 if start is not None else 0
        if isinstance(event, yaml.DocumentStartEvent):
            self.documents += 1
            if self.documents > 1:
                raise _Structure(
                    _("tệp chỉ được chứa một tài liệu YAML (gặp dòng '---' thứ hai)"),
                    line,
                    _("xóa dòng '---' hoặc tách thành hai tệp"),
                )
        elif isinstance(event, yaml.AliasEvent):
            node = self.anchors.get(str(event.anchor))
            if node is None:
                raise _Structure(
                    _("bí danh '*{name}' chưa được định nghĩa").format(name=event.anchor),
                    line,
                    _("cần '&{name}' ở một giá trị phía trên").format(name=event.anchor),
                )
            self._add(node)
        elif isinstance(event, yaml.ScalarEvent):
            tag = event.tag
            if tag is None or tag == "!":
                tag = self._resolve(yaml.ScalarNode, event.value, event.implicit)
            style = event.style or None  # libyaml says "" for plain, PyYAML None
            scalar = yaml.ScalarNode(tag, event.value, start, end, style=style)
            self._count(line)
            if event.anchor is not None:
                self.anchors[str(event.anchor)] = scalar
            self._add(scalar)
        elif isinstance(event, yaml.SequenceStartEvent | yaml.MappingStartEvent):
            sequence = isinstance(event, yaml.SequenceStartEvent)
            kind = yaml.SequenceNode if sequence else yaml.MappingNode
            tag = event.tag
            if tag is None or tag == "!":
                tag = self._resolve(kind, None, event.implicit)
            self._count(line)
            if len(self.stack) >= MAX_DEPTH:
                raise _Structure(_too_deep(), line)
            collection: yaml.Node = (
                yaml.SequenceNode(tag, [], start, end, flow_style=event.flow_style)
                if sequence
                else yaml.MappingNode(tag, [], start, end, flow_style=event.flow_style)
            )
            anchor = str(event.anchor) if event.anchor is not None else None
            self.stack.append((collection, anchor, [None]))
        elif isinstance(event, yaml.SequenceEndEvent | yaml.MappingEndEvent):
            collection, anchor, _pending = self.stack.pop()
            collection.end_mark = event.end_mark
            if anchor is not None:  # defined once complete: "&a [*a]" is an unknown alias
                self.anchors[anchor] = collection
            self._add(collection)

    def _resolve(self, kind: type[yaml.Node], value: str | None, implicit: Any) -> str:
        tag: str = self.resolver.resolve(kind, value, implicit)  # type: ignore[no-untyped-call]
        return tag

    def _count(self, line: int) -> None:
        self.count += 1
        if self.count > MAX_NODES:
            raise _Structure(_too_many_nodes(), line)

    def _add(self, node: yaml.Node) -> None:
        if not self.stack:
            self.root = node
            return
        parent, _anchor, pending = self.stack[-1]
        if isinstance(parent, yaml.SequenceNode):
            parent.value.append(node)
        elif pending[0] is None:
            pending[0] = node
        else:
            parent.value.append((pending[0], node))
            pending[0] = None


def _compose(text: str, tree: _Tree) -> yaml.Node | None:
    """Parse `text` into one document's node graph (`tree` knows where an error happened)."""
    loader = _Loader(text)
    try:
        while loader.check_event():
            tree.feed(loader.get_event())
    finally:
        loader.dispose()
    return tree.root


def _explain(exc: yaml.MarkedYAMLError, text: str) -> tuple[int | None, str, str]:
    """Line, Vietnamese message and hint for a YAML syntax error (PyYAML or libyaml)."""
    problem, context = exc.problem or "", exc.context or ""
    mark = exc.problem_mark or exc.context_mark
    line = mark.line + 1 if mark else None
    opened = exc.context_mark.line + 1 if exc.context_mark else line
    char = ""
    if mark is not None:
        lines = text.split("\n")
        if mark.line < len(lines) and mark.column < len(lines[mark.line]):
            char = lines[mark.line][mark.column]
    quote_hint = _('giá trị có ký tự đặc biệt hãy đặt trong dấu nháy kép: "..."')
    if char == "\t" or "tab" in problem:
        column = mark.column + 1 if mark else 0
        return (
            line,
            _("ký tự Tab ở cột {column}").format(column=column),
            _("YAML không cho phép ký tự Tab để thụt lề; hãy dùng dấu cách"),
        )
    if "quoted scalar" in context:
        return opened, _("thiếu dấu nháy đóng của chuỗi mở ở dòng {line}").format(line=opened), ""
    inner_quote = _("một giá trị có dấu nháy đơn bên trong hãy đặt trong dấu nháy kép")
    if "flow sequence" in context:
        message = _("thiếu ']' hoặc ',' trong danh sách '[' mở ở dòng {line}")
        return opened, message.format(line=opened), inner_quote
    if "flow mapping" in context:
        message = _("thiếu '}}' hoặc ',' trong bảng khóa '{{' mở ở dòng {line}")
        return opened, message.format(line=opened), inner_quote
    if "simple key" in context:
        return opened, _("thiếu dấu ':' sau khóa"), _("mỗi dòng có dạng 'khóa: giá trị'")
    if "cannot start any token" in problem:
        message = _("ký tự '{char}' không được đứng đầu một giá trị").format(char=char)
        return line, message, quote_hint
    if "mapping values are not allowed" in problem:
        return (
            line,
            _("dấu ':' không hợp lệ ở đây"),
            _("thụt lề sai, hoặc giá trị chứa ': ' cần đặt trong dấu nháy kép"),
        )
    if "block collection" in context or "'-' indicator" in problem:
        return (
            line,
            _("thụt lề không khớp với các mục '-' phía trên"),
            _("các mục cùng cấp phải thẳng cột, thụt lề bằng dấu cách"),
        )
    if "block mapping" in context or "expected key" in problem:
        return (
            line,
            _("thụt lề không khớp hoặc có chữ thừa sau giá trị"),
            _("các khóa cùng cấp phải thẳng cột; {hint}").format(hint=quote_hint),
        )
    if "anchor" in context or "alias" in context:
        return line, _("tên bí danh (&tên, *tên) không hợp lệ"), quote_hint
    if "nesting depth" in problem:
        return line, _too_deep(), ""
    if "directive" in context:
        return line, _("dòng bắt đầu bằng '%' không hợp lệ"), quote_hint
    return line, f"{problem} ({context})" if context else problem, ""


def load_yaml(path: Path, display: str | None = None) -> tuple[Any, Source, list[Problem]]:
    """Load one YAML file; never raises for bad content, returns the problems instead."""
    shown = display or str(path)
    source = Source(shown)
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            return None, source, [_too_large(shown, size)]
        data = path.read_bytes()
    except FileNotFoundError:
        return None, source, [Problem(shown, None, "", _("không tìm thấy tệp"))]
    except IsADirectoryError:
        message = _("đây là một thư mục, không phải tệp YAML")
        return None, source, [Problem(shown, None, "", message)]
    except PermissionError:
        return None, source, [Problem(shown, None, "", _("không có quyền đọc tệp"))]
    except OSError as exc:
        message = _("không đọc được tệp: {reason}").format(reason=exc.strerror)
        return None, source, [Problem(shown, None, "", message)]
    if len(data) > MAX_BYTES:  # grew since stat, or not a regular file
        return None, source, [_too_large(shown, len(data))]
    text, problem = _decode(data, shown)
    if text is None:
        return None, source, [problem] if problem else []
    text = text.replace("\r\n", "\n").replace("\r", "\n")  # one line break, as YAML reads it
    problems = _scan_characters(text, shown)
    if problems:
        return None, source, _locate(text, problems)
    tree = _Tree()
    try:
        node = _compose(text, tree)
    except yaml.MarkedYAMLError as exc:
        line, message, hint = _explain(exc, text)
        where = format_path(tree.where(line))
        message = _("lỗi cú pháp YAML: {message}").format(message=message)
        return None, source, [Problem(shown, line, where, message, hint)]
    except yaml.YAMLError as exc:
        message = _("lỗi YAML: {error}").format(error=exc)
        return None, source, [Problem(shown, None, "", message)]
    except _Structure as exc:
        where = format_path(tree.where(exc.line))
        return None, source, [Problem(shown, exc.line, where, str(exc), exc.hint)]
    if node is None:
        problem = Problem(shown, None, "", _("tệp rỗng"), _("tệp cần có nội dung YAML"))
        return None, source, [problem]
    composer = _Composer(source, problems)
    try:
        value = composer.build(node, ())
    except _TooBig as exc:  # named at the top-level key: deeper paths are the bomb's own
        top = exc.path[:1]
        line = source.line(top) if top else exc.line
        return None, source, [Problem(shown, line, format_path(top), str(exc))]
    except RecursionError:
        return None, source, [Problem(shown, None, "", _too_deep())]
    return value, source, problems


def _too_large(display: str, size: int) -> Problem:
    megabytes = f"{size / 1_048_576:.1f}"
    if language() != "en":
        megabytes = megabytes.replace(".", ",")  # Vietnamese decimal comma
    return Problem(
        display,
        None,
        "",
        _("tệp quá lớn ({size} MB, tối đa {limit} MB)").format(
            size=megabytes, limit=MAX_BYTES // 1_048_576
        ),
        _("tệp dữ liệu docgen chỉ cần vài chục KB; hãy kiểm tra có dán nhầm nội dung không"),
    )


def escape_problem(value: str) -> tuple[str, str] | None:
    """Message and hint for a '{_{'-like sequence docxtpl would rewrite, if `value` has one
    (YAML values and workbook cells alike)."""
    escape = _DOCXTPL_ESCAPES.search(value)
    if not escape:
        return None
    message = _(
        "chuỗi '{text}' ở vị trí {position} không dùng được trong văn bản "
        "(bộ dựng mẫu đổi nó thành '{becomes}')"
    ).format(
        text=escape.group(),
        position=escape.start() + 1,
        becomes=escape.group().replace("_", ""),
    )
    return message, _("thêm dấu cách, ví dụ '{example}'").format(example="{ _{")
