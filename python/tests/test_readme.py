"""The README's Python section: every ```python block runs and its asserts hold."""

import os
import re

import pytest
from support import optional

README = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))),
                      "README.md")


def python_blocks() -> list[str]:
    with open(README, encoding="utf-8") as f:
        text = f.read()
    start = text.index("## Python: the `runlen` package")
    end = text.index("\n## ", start + 1)
    return re.findall(r"```python\n(.*?)```", text[start:end], flags=re.S)


def test_the_section_has_examples():
    assert len(python_blocks()) >= 4


@pytest.mark.parametrize("index", range(len(python_blocks())))
def test_readme_example(index):
    code = python_blocks()[index]
    for module in ("numpy", "numcodecs", "zarr"):
        if re.search(rf"\bimport .*\b{module}\b", code):
            optional(module)
    exec(compile(code, f"README.md python block {index}", "exec"), {})
