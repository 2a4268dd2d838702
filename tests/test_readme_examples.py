"""The README's data examples are the build's own data, so they cannot drift from it."""

import re
from pathlib import Path

from rdflib import Graph

README = Path(__file__).resolve().parent.parent / "README.md"


def turtle_blocks() -> list[str]:
    return re.findall(r"```turtle\n(.*?)```", README.read_text(encoding="utf-8"), re.DOTALL)


def test_the_readme_has_a_turtle_example():
    assert turtle_blocks()


def test_every_triple_of_the_turtle_example_is_in_the_build(built):
    facts = Graph().parse(built.dumps_dir / "zzkg.nt", format="nt")
    for block in turtle_blocks():
        example = Graph().parse(data=block, format="turtle")
        assert len(example) > 5
        missing = [t for t in example if t not in facts]
        assert missing == []
