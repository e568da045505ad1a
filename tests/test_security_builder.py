"""Trust comes from the person building, never from the atlas folder; an atlas's own
templates fail with their line, whatever they raise (issue 21: V1 and the tracebacks of
sandboxed templates)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import SAMPLES, run_atlas
from test_security import limited_atlas

PAYLOAD = ('{% extends "default/index.html" %}\n{% block title %}\n'
           "{{ cycler.__init__.__globals__.os.system('touch atlas_pwned') }}{% endblock %}\n")


def atlas_with_template(tmp_path: Path, template: str, settings: str = "") -> Path:
    source = shutil.copytree(SAMPLES / "good", tmp_path / "src")
    (source / "templates").mkdir()
    (source / "templates" / "index.html").write_text(template, encoding="utf-8")
    if settings:
        with (source / "atlas.yaml").open("a", encoding="utf-8") as file:
            file.write(settings)
    return source


@pytest.mark.parametrize("command", ["check", "build"])
def test_an_atlas_cannot_lift_its_own_sandbox(tmp_path: Path, command: str) -> None:
    source = atlas_with_template(tmp_path, PAYLOAD, "templates: {trusted: true}\n")
    line = (source / "atlas.yaml").read_text(encoding="utf-8").splitlines().index("templates: {trusted: true}") + 1
    args = ["-o", tmp_path / "out"] if command == "build" else []
    result = run_atlas(command, source, *args, cwd=tmp_path)
    assert result.returncode == 2, result.stderr
    assert result.stderr.startswith(f"src/atlas.yaml:{line}: an atlas folder cannot lift the template sandbox itself")
    assert "atlas build --trust-templates" in result.stderr
    assert not (tmp_path / "atlas_pwned").exists() and not (tmp_path / "out").exists()


def test_trusted_false_is_harmless(tmp_path: Path) -> None:
    source = atlas_with_template(tmp_path, '{% extends "default/index.html" %}\n', "templates: {trusted: false}\n")
    assert run_atlas("check", source).returncode == 0


def test_the_builder_trusts_with_a_flag_and_the_next_build_without_it_is_sandboxed_again(tmp_path: Path) -> None:
    source = atlas_with_template(tmp_path, PAYLOAD)
    out = tmp_path / "out"
    assert run_atlas("build", source, "-o", out, "--trust-templates", cwd=tmp_path).returncode == 0
    assert (tmp_path / "atlas_pwned").exists()  # the builder said so: the template ran as code
    (tmp_path / "atlas_pwned").unlink()
    again = run_atlas("build", source, "-o", out, cwd=tmp_path)  # no flag: not an incremental build of the trusted one
    assert again.returncode == 2 and "sandboxed template" in again.stderr
    assert not (tmp_path / "atlas_pwned").exists()


@pytest.mark.parametrize(("expression", "said"), [
    ("{{ 1/0 }}", "ZeroDivisionError: division by zero"),
    ('{{ 1 + "a" }}', "TypeError: unsupported operand"),
    ('{{ "a b c"|wordwrap(0) }}', "ValueError"),
    ("{{ range(10**8)|list }}", "Range too big"),
    ('{{ "x" * 10**10 }}', "too large"),
    ("{{ 7 ** (10**10) }}", "too large"),
    ("{{ [1] * 10**9 }}", "too large"),
])
def test_a_template_that_fails_at_run_time_says_where(tmp_path: Path, expression: str, said: str) -> None:
    source = atlas_with_template(tmp_path, '{% extends "default/index.html" %}\n{% block title %}\n'
                                           f"{expression}{{% endblock %}}\n")
    result = limited_atlas("build", "src", "-o", "out", cwd=tmp_path)  # a bomb fails the test, not the machine
    assert result.returncode == 2, result.stderr
    assert result.stderr.startswith("src/templates/index.html:3: template error: "), result.stderr
    assert said in result.stderr and "Traceback" not in result.stderr
