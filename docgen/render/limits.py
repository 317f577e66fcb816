"""Bounds on what a user's template may cost: time, memory, output and package size.

Templates may come from users (``--templates``), and Jinja's sandbox keeps them away from
Python internals but not from work: ``{{ 7**(10**10) }}`` is folded while compiling and never
ends, ``{{ 'a'*10**9 }}`` takes a gigabyte, nested ``range(99999)`` loops run for hours, and a
small .docx may unpack to gigabytes. Each is refused here with a plain message:

* arithmetic that would build a huge number or text (``**``, ``*``, ``%``), padding methods
  and filters given a huge width (``ljust``, ``center``, ``format``, ``indent`` …) are refused
  by :class:`BoundedSandbox` before Python does the work; intercepting the operators also
  stops Jinja from folding them while compiling;
* a part's rendered text is counted while it is produced (:func:`bounded_output`);
* compiling and rendering one document is limited in time (:func:`time_limit`);
* a template's package is refused when it unpacks to too much (:func:`check_package`).
"""

from __future__ import annotations

import math
import re
import signal
import threading
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Final

from jinja2.sandbox import SandboxedEnvironment

from docgen.errors import TemplateError
from docgen.i18n import _

#: Text a single operation may build (characters); a whole document is far less.
MAX_TEXT: Final = 1_000_000
#: Bits of a number a power may build (10**3000 is more than any document needs).
MAX_POWER_BITS: Final = 10_000
#: Width or count given to padding methods and filters.
MAX_WIDTH: Final = 10_000
#: Characters one rendered part may have (the Danh sách of 1,000 nominees is ~3 MB of XML).
MAX_OUTPUT: Final = 20_000_000
#: Seconds to prepare (compile) a template, and to render one document.
SECONDS: Final = 60.0
#: What a template package may unpack to, in all and per part.
MAX_UNPACKED: Final = 200 * 1024 * 1024
MAX_PART: Final = 100 * 1024 * 1024

_WIDTH = re.compile(r"%[-+ #0*]*(\d+)?(?:\.(\d+))?|\{[^{}]*?:[^{}]*?(\d+)(?:\.(\d+))?[^{}]*\}")
_PADDING_METHODS: Final = frozenset({"ljust", "rjust", "center", "zfill", "expandtabs"})
_FORMAT_METHODS: Final = frozenset({"format", "format_map"})
_WIDTH_FILTERS: Final = ("center", "indent", "wordwrap", "truncate", "slice", "batch")


def _refuse(what: str) -> TemplateError:
    return TemplateError(_("mẫu đòi tính một giá trị quá lớn: {what}").format(what=what))


def _check_widths(text: str) -> None:
    """A %-format or str.format pattern whose widths or precisions are reasonable."""
    for match in _WIDTH.finditer(text):
        for group in match.groups():
            if group is not None and int(group) > MAX_WIDTH:
                raise _refuse(match.group())


def _size(value: Any) -> int | None:
    return len(value) if isinstance(value, str | bytes | list | tuple) else None


class BoundedSandbox(SandboxedEnvironment):
    """The sandbox, with the operators and calls that can take unbounded time or memory
    checked first."""

    intercepted_binops = frozenset({"**", "*", "%"})

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in _WIDTH_FILTERS:
            self.filters[name] = _bounded_filter(self.filters[name])
        self.filters["format"] = _format_filter(self.filters["format"])

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        if operator == "**":
            _check_power(left, right)
        elif operator == "*":
            for seq, count in ((left, right), (right, left)):
                size = _size(seq)
                if size is not None and isinstance(count, int) and size * count > MAX_TEXT:
                    raise _refuse(f"{type(seq).__name__} × {count}")
        elif operator == "%" and isinstance(left, str):
            _check_widths(left)
            if "*" in left:  # widths taken from the values: '%*d' % (10**9, 1)
                _check_counts(right if isinstance(right, tuple) else (right,), "%*")
        return super().call_binop(context, operator, left, right)

    def call(self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:
        target = getattr(__obj, "__wrapped__", __obj)  # the sandbox wraps str.format
        owner = getattr(target, "__self__", None)
        name = getattr(target, "__name__", "")
        if isinstance(owner, str):
            if name in _PADDING_METHODS:
                for value in (*args, *kwargs.values()):
                    if isinstance(value, int) and value > MAX_WIDTH:
                        raise _refuse(f"{name}({value})")
            elif name in _FORMAT_METHODS:
                _check_widths(owner)
                if re.search(r":[^{}]*\{", owner):  # widths taken from the values: '{0:{1}}'
                    _check_counts((*args, *kwargs.values()), "{:{}}")
        return super().call(__context, __obj, *args, **kwargs)


def _check_counts(values: tuple[Any, ...], what: str) -> None:
    for value in values:
        if isinstance(value, int) and not isinstance(value, bool) and value > MAX_WIDTH:
            raise _refuse(f"{what} {value}")


def _check_power(base: Any, exponent: Any) -> None:
    if not isinstance(exponent, int | float) or not isinstance(base, int | float):
        return
    size = abs(base)
    if size > 1 and exponent > 0 and exponent * math.log2(size) > MAX_POWER_BITS:
        raise _refuse(f"{base} ** {exponent}")


def _bounded_filter(f: Callable[..., Any]) -> Callable[..., Any]:
    def bounded(*args: Any, **kwargs: Any) -> Any:
        for value in (*args[1:], *kwargs.values()):
            if isinstance(value, int) and not isinstance(value, bool) and value > MAX_WIDTH:
                raise _refuse(f"|{getattr(f, '__name__', 'filter')}({value})")
        return f(*args, **kwargs)

    for attr in ("jinja_pass_arg",):  # pass_environment / pass_eval_context markers
        if hasattr(f, attr):
            setattr(bounded, attr, getattr(f, attr))
    bounded.__name__ = getattr(f, "__name__", "bounded")
    return bounded


def _format_filter(f: Callable[..., Any]) -> Callable[..., Any]:
    def bounded(value: Any, *args: Any, **kwargs: Any) -> Any:
        if isinstance(value, str):
            _check_widths(value)
        return f(value, *args, **kwargs)

    bounded.__name__ = "format"
    return bounded


def bounded_output(render: Callable[[Any], Iterator[str]]) -> Callable[[Any], Iterator[str]]:
    """A compiled template's root render function, stopped once its output passes MAX_OUTPUT."""

    def counted(context: Any) -> Iterator[str]:
        total = 0
        for piece in render(context):
            total += len(piece)
            if total > MAX_OUTPUT:
                raise TemplateError(
                    _("văn bản dựng ra quá lớn (hơn {n} triệu ký tự); có vòng lặp quá dài?").format(
                        n=MAX_OUTPUT // 1_000_000
                    )
                )
            yield piece

    return counted


class _TimeUp(Exception):
    pass


@contextmanager
def time_limit(what: str, seconds: float | None = None) -> Iterator[None]:
    """Raise TemplateError if the block runs longer than `seconds` (default SECONDS), where a
    timer can interrupt it: the main thread of a POSIX process; elsewhere it is not limited."""
    seconds = SECONDS if seconds is None else seconds
    usable = hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
    if not usable:
        yield
        return

    def expired(signum: int, frame: object) -> None:
        raise _TimeUp

    previous = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    except _TimeUp:
        raise TemplateError(
            _("{what} quá {seconds} giây (mẫu có vòng lặp hoặc phép tính quá lớn?)").format(
                what=what, seconds=f"{seconds:g}"
            )
        ) from None
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def check_package(path: Path) -> None:
    """Refuse a .docx whose parts unpack to more than a template can need (a zip bomb)."""
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
    except (zipfile.BadZipFile, OSError):
        return  # not a zip: the reader says so in its own words
    total = sum(i.file_size for i in infos)
    largest = max(infos, key=lambda i: i.file_size, default=None)
    if total > MAX_UNPACKED or (largest is not None and largest.file_size > MAX_PART):
        raise TemplateError(
            _(
                "tệp mẫu giải nén ra {size} MB (phần lớn nhất: {part}), quá giới hạn {limit} MB "
                "(có thể là tệp độc hại)"
            ).format(
                size=total // (1024 * 1024),
                part=largest.filename if largest else "",
                limit=MAX_UNPACKED // (1024 * 1024),
            )
        )
