"""Stage: source.

Authoring dates before 1 CE: EDTF counts 1 BCE as year 0000, so "264 BCE" is -0263 and
the natural fix of "-149", "-0149", is 150 BCE. A date written as books write it is
refused with the exact EDTF to write (which itself reads back as what was meant);
`atlas check --dates` prints how every date reads; the dates atlas writes are quoted, so
that other YAML tools do not read `-0263` as the octal integer -179.
"""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest
import yaml

from atlas.source.dates import DateError, parse

from conftest import run_atlas

# What an author types, the EDTF the error asks for, and how that EDTF reads.
WRITTEN = [
    ("264 BCE", "-0263", "264 BCE"),
    ("44 BC", "-0043", "44 BCE"),
    ("44 B.C.", "-0043", "44 BCE"),
    ("1 BC", "0000", "1 BCE"),
    ("c. 300 BCE", "-0299~", "c. 300 BCE"),
    ("ca. 300 BC?", "-0299%", "c. 300 BCE?"),
    ("300 BCE?", "-0299?", "300 BCE?"),
    ("AD 79", "0079", "79 CE"),
    ("79 CE", "0079", "79 CE"),
    ("15 March 44 BC", "-0043-03-15", "15 March 44 BCE"),
    ("March 15, 44 B.C.", "-0043-03-15", "15 March 44 BCE"),
    ("2 August 216 BCE", "-0215-08-02", "2 August 216 BCE"),
    ("264–241 BCE", "-0263/-0240", "264–241 BCE"),
    ("1914-1918", "1914/1918", "1914–1918"),
    ("Sept 3, 2013", "2013-09-03", "3 September 2013"),
    ("13800 BCE", "Y-13799", "13800 BCE"),
    ("-149", "-0148", "149 BCE"),
    ("149", "0149", "149 CE"),
    ("circa 300 BCE", "-0299~", "c. 300 BCE"),
    ("3rd century BCE", "-02XX", "300–201 BCE"),
    ("19th century", "1801/1900", "1801–1900"),
    # Intervals: each end as its own date.
    ("264 BCE/146 BCE", "-0263/-0145", "264–146 BCE"),
    ("814 BC/698", "-0813/0698", "814 BCE – 698 CE"),
    ("-0813/146 BC", "-0813/-0145", "814–146 BCE"),
    ("c. 500 BCE/..", "-0499~/..", "from c. 500 BCE"),
    ("-264/-146", "-0263/-0145", "264–146 BCE"),
    ("-146/..", "-0145/..", "from 146 BCE"),
    ("-44-03-15", "-0043-03-15", "15 March 44 BCE"),
]


@pytest.mark.parametrize(("written", "edtf", "reads"), WRITTEN)
def test_a_date_in_words_is_refused_with_the_edtf_that_means_it(written: str, edtf: str, reads: str) -> None:
    with pytest.raises(DateError) as refused:
        parse(written)
    message = str(refused.value)
    assert f" {edtf}" in message, message
    assert parse(edtf).display() == reads


def test_the_hint_for_a_short_negative_year_names_both_readings() -> None:
    with pytest.raises(DateError, match=r"149 BCE write -0148 .*-0149 would be 150 BCE"):
        parse("-149")


@pytest.mark.parametrize("written", ["0 BC", "31 Feb 44 BC", "1918-1914", "hello BCE", "the 1950s", "hello/1945",
                                     "0th century"])
def test_no_hint_is_given_when_no_reading_is_sure(written: str) -> None:
    with pytest.raises(DateError) as refused:
        parse(written)
    assert "write it as EDTF" not in str(refused.value)


def _atlas(folder: Path, date: str) -> Path:
    folder.mkdir()
    (folder / "atlas.yaml").write_text("title: Rome\n", encoding="utf-8")
    (folder / "places.yaml").write_text("- id: rome\n  name: Rome\n  coordinates: [41.89, 12.49]\n", encoding="utf-8")
    (folder / "periods.yaml").write_text('- id: republic\n  title: The late Republic\n  when: "-0300/-0027"\n',
                                         encoding="utf-8")
    (folder / "events.yaml").write_text(textwrap.dedent(f"""\
        - id: caesar
          title: Caesar killed
          date: {date}
          places: [rome]
          sources: [{{label: "Suetonius, Julius 81–82"}}]
        """), encoding="utf-8")
    return folder


def test_check_names_the_file_the_line_and_the_edtf_to_write(tmp_path: Path) -> None:
    folder = _atlas(tmp_path / "rome", "15 March 44 BC")
    result = run_atlas("check", folder)
    assert result.returncode == 2, result.stderr
    assert "events.yaml:3:" in result.stderr
    assert "-0043-03-15 (15 March 44 BCE; EDTF counts 1 BCE as year 0000)" in result.stderr
    assert "Traceback" not in result.stderr


def test_check_dates_prints_how_every_date_reads(tmp_path: Path) -> None:
    folder = _atlas(tmp_path / "rome", '"-0043-03-15"')
    listed = run_atlas("check", folder, "--dates")
    assert listed.returncode == 0, listed.stderr
    assert "caesar date: -0043-03-15 = 15 March 44 BCE" in listed.stdout
    assert "republic when: -0300/-0027 = 301–28 BCE" in listed.stdout
    plain = run_atlas("check", folder)
    assert "2 dates reach before 1 CE" in plain.stdout and "atlas check --dates" in plain.stdout
    assert "before 1 CE" not in run_atlas("check", "places").stdout


def test_dates_atlas_writes_are_quoted_for_every_yaml_tool(tmp_path: Path) -> None:
    timeline = tmp_path / "timeline.json"
    slides = [{"start_date": {"year": year}, "text": {"headline": f"Year {year}"}} for year in (-263, 1945)]
    slides.append({"start_date": {"year": 1945, "month": 5}, "end_date": {"year": 1946},
                   "text": {"headline": "A span"}})
    timeline.write_text(json.dumps({"events": slides}), encoding="utf-8")
    out = tmp_path / "imported"
    result = run_atlas("import", timeline, "-o", out)
    assert result.returncode == 0, result.stderr
    for name in ("events.yaml", "periods.yaml"):
        text = (out / name).read_text(encoding="utf-8")
        dated = [line for line in text.splitlines() if line.lstrip().startswith(("date:", "when:"))]
        assert dated and all(line.split(":", 1)[1].strip().startswith('"') for line in dated), text
        # PyYAML reads YAML 1.1, where an unquoted -0263 is an octal integer.
        for record in yaml.safe_load(text):
            assert isinstance(record.get("date", record.get("when")), str), record
    starter = tmp_path / "new"
    assert run_atlas("new", starter).returncode == 0
    for record in yaml.safe_load((starter / "events.yaml").read_text(encoding="utf-8")):
        assert isinstance(record["date"], str)
