"""Fuzz the reader with 100 000 inputs: random fragment strings, random Unicode, mutated corpus spans and
noisy Markdown. Every input must give a tree (that prints and has a shape) or a located NotationError, within
a time limit; anything else is a crash, printed with the input that caused it.

Usage: .venv/bin/python benchmarks/fuzz_reader.py [--count 100000] [--seed 0] [--shared ../shared]
Exit status 1 when any input crashed or ran past the limit.
"""

from __future__ import annotations

import argparse
import random
import signal
import sys
import time
from pathlib import Path

from chainrule.errors import InputError
from chainrule.notation import find_math, infer_shape, parse_math, to_latex, to_text
from chainrule.notation.errors import NotationError

REPO = Path(__file__).resolve().parents[1]
LIMIT_S = 2
FRAGMENTS = [
    "x", "W", "^", "_", "{", "}", "(", ")", "[", "]", "|", "\\|", "||", "+", "-", "=", "<", "\\le", ",", ".",
    "&", "\\\\", "'", "2", "0.5", "\\frac", "\\partial", "\\sum", "\\lim", "\\to", "\\infty", "\\mathbf",
    "\\hat", "\\text{if }", "\\left(", "\\right)", "\\begin{pmatrix}", "\\end{pmatrix}", "\\begin{cases}",
    "\\end{cases}", "\\begin{aligned}", "\\end{aligned}", "\\sigma", "\\tanh", "\\max", "\\{", "\\}", "\\cdot",
    "\\nabla", "\\mathbb{R}", "\\in", "^{(1)}", "^\\top", "\\sqrt", "\\quad", " ", "\n", "$", "$$", "%",
    "\\foo", "日", "\x00", "\\left.", "\\right|", "\\boxed", "\\mathbb{1}_", "(\\cdot)^+", "\\tanh^2",
    "\\frac{d}{dx}", "e^{", "\\operatorname{ReLU}", "\\arg\\min_", "\\underset{", "\\iint", "\\odot",
]


class _Late(Exception):
    pass


def _alarm(signum: int, frame: object) -> None:
    raise _Late()


def corpus_spans(shared: Path) -> list[str]:
    files = sorted([*shared.glob("seeds/00*"), *shared.glob("corpus/submissions/*.md")])
    return [s.latex for f in files for s in find_math(f.read_text(encoding="utf-8"))] or ["a = b + c"]


def mutate(rng: random.Random, text: str) -> str:
    for _ in range(rng.randint(1, 5)):
        at = rng.randint(0, len(text))
        how = rng.randint(0, 4)
        if how == 0:
            text = text[:at] + rng.choice(FRAGMENTS) + text[at:]
        elif how == 1:
            text = text[:at] + text[at + rng.randint(1, 5):]
        elif how == 2:
            text = text[:at] + rng.choice(FRAGMENTS) + text[at + 1:]
        elif how == 3:
            j = rng.randint(0, len(text))
            text = text[:min(at, j)] + text[max(at, j):] + text[min(at, j):max(at, j)]
        else:
            text = text[:at] + chr(rng.randint(0, 0x2FFF)) + text[at:]
    return text


def make_input(rng: random.Random, spans: list[str]) -> tuple[str, str]:
    kind = rng.randint(0, 3)
    if kind == 0:
        return "fragments", "".join(rng.choice(FRAGMENTS) for _ in range(rng.randint(0, 40)))
    if kind == 1:
        return "unicode", "".join(chr(rng.randint(0, 0x2FFF)) for _ in range(rng.randint(0, 60)))
    if kind == 2:
        return "mutated span", mutate(rng, rng.choice(spans))
    return "markdown", "".join(rng.choice(["$", "$$", "\n", "\n\n", "| a | b |\n", "- ", "`", "\\(", "\\)",
                                           rng.choice(spans)[:80], " text "]) for _ in range(rng.randint(0, 12)))


def check(kind: str, text: str) -> None:
    if kind == "markdown":
        try:
            spans = find_math(text)
        except InputError:
            return
        for span in spans:
            check("span", span.latex)
        return
    try:
        node = parse_math(text)
    except NotationError as error:
        if not (error.line >= 1 and error.column >= 1 and error.message):
            raise AssertionError(f"an error without a place: {error!r}") from None
        return
    to_latex(node)
    to_text(node)
    infer_shape(node)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--shared", type=Path, default=REPO.parent / "shared")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    spans = corpus_spans(args.shared)
    signal.signal(signal.SIGALRM, _alarm)
    crashes: list[tuple[str, str, str]] = []
    slowest = (0.0, "")
    start = time.perf_counter()
    for _ in range(args.count):
        kind, text = make_input(rng, spans)
        signal.alarm(LIMIT_S)
        began = time.perf_counter()
        try:
            check(kind, text)
        except _Late:
            crashes.append((kind, text, f"ran past {LIMIT_S} s"))
        except Exception as error:  # the point of fuzzing: anything else that escapes is a bug
            crashes.append((kind, text, f"{type(error).__name__}: {error}"))
        finally:
            signal.alarm(0)
        took = time.perf_counter() - began
        if took > slowest[0]:
            slowest = (took, text[:60])
    elapsed = time.perf_counter() - start
    for kind, text, what in crashes[:20]:
        print(f"CRASH ({kind}): {what}\n    input: {text[:200]!r}")
    print(f"inputs: {args.count} crashes: {len(crashes)} time: {elapsed:.1f} s "
          f"slowest: {slowest[0] * 1e3:.1f} ms ({slowest[1]!r})")
    return 1 if crashes else 0


if __name__ == "__main__":
    sys.exit(main())
