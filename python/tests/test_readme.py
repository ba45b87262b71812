"""python/README.md (the manual a package index shows): every ```python block runs and its
asserts hold. A block marked `# zarr < 3` or `# zarr >= 3` runs only under that zarr."""

import os
import re

import pytest
from support import optional

README = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "README.md")


def python_blocks() -> list[str]:
    with open(README, encoding="utf-8") as f:
        text = f.read()
    return re.findall(r"```python\n(.*?)```", text, flags=re.S)


def test_the_readme_has_examples():
    blocks = python_blocks()
    assert len(blocks) >= 8
    assert any("elementsize" in b for b in blocks)
    assert any("# zarr >= 3" in b for b in blocks)
    assert any("packbits.encode" in b for b in blocks)
    assert any('format="packbits"' in b for b in blocks)


@pytest.mark.parametrize("index", range(len(python_blocks())))
def test_readme_example(index):
    code = python_blocks()[index]
    for module in ("numpy", "numcodecs", "zarr"):
        if re.search(rf"\bimport .*\b{module}\b", code):
            optional(module)
    wants = re.search(r"# zarr (<|>=) 3\b", code)
    if wants:
        major = int(optional("zarr").__version__.split(".")[0])
        if (major >= 3) != (wants.group(1) == ">="):
            pytest.skip(f"a block for zarr {wants.group(1)} 3 (zarr {major} installed)")
    exec(compile(code, f"python/README.md python block {index}", "exec"), {})
