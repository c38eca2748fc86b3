"""Scrapy's signature checks, made once per method instead of once per site.

Every Scrapy crawler checks each method of each of its middlewares, pipelines and of its
downloader (some 36 a site) for a required ``spider`` argument (deprecated since Scrapy 2.14),
with ``inspect.signature``: a tenth of a site's start-up in a national night of 3,355 sites,
for the same class methods every time. Within :func:`shared_signature_checks` (the CLI's
crawl), the answer for a bound method is kept per underlying function and argument name, so
the first site's crawler works it out and the others reuse it. The answer is the same by
construction (a bound method's signature is its function's without the first parameter),
Scrapy's warning and its way of calling the method are unchanged, and anything not a bound
method (a per-instance wrapper, a plain function) is checked as before. Scrapy's own function
is put back afterwards.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from types import MethodType, ModuleType
from typing import Any
from weakref import WeakKeyDictionary

from scrapy.utils import deprecate

Check = Callable[[Callable[..., Any], str], bool]


class SharedCheck:
    """``argument_is_required`` with its answers for bound methods kept per function."""

    def __init__(self, check: Check) -> None:
        self.check = check
        self.answers: WeakKeyDictionary[Callable[..., Any], dict[str, bool]] = WeakKeyDictionary()

    def __call__(self, func: Callable[..., Any], arg_name: str) -> bool:
        if not isinstance(func, MethodType):
            return self.check(func, arg_name)
        answers = self.answers.setdefault(func.__func__, {})
        if arg_name not in answers:
            answers[arg_name] = self.check(func, arg_name)
        return answers[arg_name]


def _scrapy_modules() -> list[ModuleType]:
    """The Scrapy modules that check middleware and downloader methods for each crawler."""
    import scrapy.core.engine
    import scrapy.middleware

    return [scrapy.middleware, scrapy.core.engine]


@contextmanager
def shared_signature_checks() -> Iterator[SharedCheck]:
    """Within: Scrapy's per-crawler ``argument_is_required`` checks share their answers."""
    original = deprecate.argument_is_required
    shared = SharedCheck(original)
    with ExitStack() as stack:
        for module in _scrapy_modules():
            if getattr(module, "argument_is_required", None) is original:
                module.argument_is_required = shared  # type: ignore[attr-defined]
                stack.callback(setattr, module, "argument_is_required", original)
        yield shared
