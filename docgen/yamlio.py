"""Read YAML files into plain values plus a map from key paths to line numbers.

PyYAML's ``safe_load`` forgets where each value came from and silently keeps the last of two
duplicate keys. Validation errors must name the file, the line and the key, so we compose the
node graph ourselves and build the values while recording every node's line.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Hashable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .errors import Problem

Key = str | int
KeyPath = tuple[Key, ...]

#: Refuse YAML graphs larger than this (alias "billion laughs" bombs expand through aliases).
MAX_NODES = 200_000
#: Refuse nesting deeper than this; no docgen file needs more than a handful of levels.
MAX_DEPTH = 50

# Characters XML 1.0 forbids: a .docx containing one is corrupt. Excel pastes U+000B often.
_XML_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


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


class _Composer:
    """Turns a composed node graph into values, recording lines and raw scalar text."""

    def __init__(self, source: Source, problems: list[Problem]) -> None:
        self.source = source
        self.problems = problems
        self.constructor = yaml.constructor.SafeConstructor()
        self.count = 0

    def build(self, node: yaml.Node, path: KeyPath) -> Any:
        self.count += 1
        if self.count > MAX_NODES:
            raise _TooBig(f"tệp quá lớn hoặc có bí danh (alias) lồng nhau: hơn {MAX_NODES} nút")
        if len(path) > MAX_DEPTH:
            raise _TooBig(f"lồng quá sâu: hơn {MAX_DEPTH} cấp")
        self.source.lines[path] = node.start_mark.line + 1
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, path)
        if isinstance(node, yaml.SequenceNode):
            return [self.build(child, (*path, i)) for i, child in enumerate(node.value)]
        return self._scalar(node, path)

    def _scalar(self, node: yaml.Node, path: KeyPath) -> Any:
        if isinstance(node, yaml.ScalarNode) and node.style is None:
            self.source.raw[path] = str(node.value)
        try:
            return self.constructor.construct_object(node, deep=True)
        except (ValueError, yaml.constructor.ConstructorError) as exc:
            # e.g. a date 2023-02-31: keep the text, report the value.
            self.problems.append(
                self.source.problem(path, f"giá trị '{node.value}' không hợp lệ: {exc}")
            )
            return str(node.value)

    def _mapping(self, node: yaml.MappingNode, path: KeyPath) -> dict[Key, Any]:
        self.constructor.flatten_mapping(node)
        result: dict[Key, Any] = {}
        for key_node, value_node in node.value:
            key = self.constructor.construct_object(key_node, deep=True)
            if isinstance(key, bool) or not isinstance(key, str | int):
                self.problems.append(
                    Problem(
                        self.source.file,
                        key_node.start_mark.line + 1,
                        format_path(path),
                        f"khóa '{key_node.value}' phải là chữ hoặc số",
                    )
                )
                continue
            assert isinstance(key, Hashable)
            if key in result:
                first = self.source.lines.get((*path, key))
                self.problems.append(
                    Problem(
                        self.source.file,
                        key_node.start_mark.line + 1,
                        format_path((*path, key)),
                        f"khóa '{key}' bị lặp lại (đã có ở dòng {first})",
                        "YAML chỉ giữ giá trị cuối; hãy xóa một trong hai",
                    )
                )
                continue
            result[key] = self.build(value_node, (*path, key))
            self.source.lines[(*path, key)] = key_node.start_mark.line + 1
        return result


class _TooBig(Exception):
    pass


def _decode(data: bytes, display: str) -> tuple[str | None, Problem | None]:
    """Strict UTF-8 (a BOM is accepted); legacy Vietnamese encodings are named, not garbled."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8"), None
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        return None, Problem(
            display,
            line,
            "",
            f"tệp không phải mã UTF-8 (byte 0x{data[exc.start]:02x} ở vị trí {exc.start})",
            "có thể tệp được lưu bằng bảng mã TCVN3 (ABC) hoặc Windows-1258; "
            "hãy mở và lưu lại dưới dạng UTF-8 (Unicode)",
        )


def load_yaml(path: Path, display: str | None = None) -> tuple[Any, Source, list[Problem]]:
    """Load one YAML file; never raises for bad content, returns the problems instead."""
    shown = display or str(path)
    source = Source(shown)
    try:
        data = path.read_bytes()
    except OSError as exc:
        return None, source, [Problem(shown, None, "", f"không đọc được tệp: {exc.strerror}")]
    text, problem = _decode(data, shown)
    if text is None:
        return None, source, [problem] if problem else []
    problems: list[Problem] = []
    for lineno, line in enumerate(text.split("\n"), start=1):  # not splitlines: it eats \x0b
        for match in _XML_FORBIDDEN.finditer(line):
            problems.append(
                Problem(
                    shown,
                    lineno,
                    "",
                    f"ký tự điều khiển U+{ord(match.group()):04X} ở cột {match.start() + 1} "
                    "không được phép trong văn bản Word",
                    "thường do sao chép từ Excel; hãy xóa ký tự này",
                )
            )
    if problems:
        return None, source, problems
    text = unicodedata.normalize("NFC", text)
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        at_line = mark.line + 1 if mark else None
        reason = exc.problem or str(exc)
        tab_hint = ""
        if "\\t" in str(exc) or "tab" in str(exc).lower():
            tab_hint = "YAML không cho phép ký tự Tab để thụt lề; hãy dùng dấu cách"
        return None, source, [Problem(shown, at_line, "", f"lỗi cú pháp YAML: {reason}", tab_hint)]
    except yaml.YAMLError as exc:
        return None, source, [Problem(shown, None, "", f"lỗi YAML: {exc}")]
    if node is None:
        return None, source, [Problem(shown, None, "", "tệp rỗng")]
    composer = _Composer(source, problems)
    try:
        value = composer.build(node, ())
    except _TooBig as exc:
        return None, source, [Problem(shown, None, "", str(exc))]
    except RecursionError:
        return None, source, [Problem(shown, None, "", f"lồng quá sâu: hơn {MAX_DEPTH} cấp")]
    return value, source, problems
