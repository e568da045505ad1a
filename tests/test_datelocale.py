"""Stage: source (dates). Dates in the reader's language: each form as a Chinese or
Russian reader writes it, BCE and uncertain dates included, and English unchanged."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from atlas.source.dates import parse

FORMS = [
    # EDTF, English, Chinese, Russian
    ("1957-11-02", "2 November 1957", "1957年11月2日", "2 ноября 1957 г."),
    ("1957-11-02/1963-07-20", "2 November 1957 – 20 July 1963", "1957年11月2日—1963年7月20日",
     "2 ноября 1957 г. – 20 июля 1963 г."),
    ("1945-05-01/1945-05-03", "1–3 May 1945", "1945年5月1—3日", "1–3 мая 1945 г."),
    ("1945-05-01/1945-06-03", "1 May – 3 June 1945", "1945年5月1日—6月3日", "1 мая – 3 июня 1945 г."),
    ("1945-08", "August 1945", "1945年8月", "август 1945 г."),
    ("1945-08/1945-10", "August–October 1945", "1945年8—10月", "август–октябрь 1945 г."),
    ("1945/1949", "1945–1949", "1945—1949年", "1945–1949 гг."),
    ("195X", "1950s", "1950年代", "1950-е гг."),
    ("1950-21", "Spring 1950", "1950年春", "весна 1950 г."),
    ("-0215", "216 BCE", "公元前216年", "216 г. до н. э."),
    ("-0215/-0200", "216–201 BCE", "公元前216—201年", "216–201 гг. до н. э."),
    ("0216", "216 CE", "公元216年", "216 г. н. э."),
    ("1945~", "c. 1945", "约1945年", "ок. 1945 г."),
    ("1945?", "1945?", "1945年（？）", "1945 г. (?)"),
    ("1962-03?/1962-05", "March 1962? – May 1962", "1962年3月（？）—1962年5月", "март 1962 г. (?) – май 1962 г."),
    ("../1945-11", "until November 1945", "至1945年11月", "до ноября 1945 г."),
    ("/1945", "until 1945 (start unknown)", "至1945年（起始时间不详）", "до 1945 г. (начало неизвестно)"),
    ("1950-21/..", "from Spring 1950", "1950年春起", "с весны 1950 г."),
    ("1945/", "from 1945 (end unknown)", "1945年起（结束时间不详）", "с 1945 г. (конец неизвестен)"),
    ("1945-08-09T10:00:00", "9 August 1945, 10:00:00", "1945年8月9日 10:00:00", "9 августа 1945 г., 10:00:00"),
]


@pytest.mark.parametrize(("edtf", "english", "chinese", "russian"), FORMS)
def test_each_form_in_each_language(edtf: str, english: str, chinese: str, russian: str) -> None:
    when = parse(edtf)
    assert when.display() == english
    assert when.display("en-GB") == english
    assert when.display("zh") == chinese
    assert when.display("zh-Hans") == chinese  # a tag's primary language chooses the rules
    assert when.display("ru") == russian


def test_a_language_without_rules_is_written_in_english() -> None:
    assert parse("1957-11-02").display("fa") == "2 November 1957"


def test_arabic_dates_read_right_to_left_with_their_era() -> None:
    assert parse("0762-07-30").display("ar") == "30 يوليو 762 م"
    assert parse("-0215").display("ar") == "216 ق.م"
    assert parse("1945~").display("ar") == "حوالي 1945 م"
    assert parse("0762-07-30/0836").display("ar") == "30 يوليو 762 م – 836 م"


def test_every_date_of_the_default_atlas_reads_without_a_latin_letter_in_chinese_and_russian() -> None:
    places = Path(__file__).resolve().parents[1] / "places"
    dates = [str(event["date"]) for event in yaml.safe_load((places / "events.yaml").read_text(encoding="utf-8"))]
    dates += [str(period["when"]) for period in yaml.safe_load((places / "periods.yaml").read_text(encoding="utf-8"))]
    assert len(dates) > 100
    for text in dates:
        when = parse(text)
        for lang in ("zh", "ru"):
            words = when.display(lang)
            assert not re.search("[A-Za-z]", words), (text, lang, words)
            assert re.search("[0-9]", words), (text, lang, words)
