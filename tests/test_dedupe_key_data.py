"""The data files the dedupe key reads are pinned with its version (tasks/dedupe.py KEY_DATA_DIGESTS):
an edit of one that can change a signature fails here until SIG_VERSION is bumped (whose first load
re-signs the stored rows) and the new digests recorded; an edit that changes no key (a comment, a
blank line) passes."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from tasks.dedupe import KEY_DATA_DIGESTS, SIG_VERSION, key_data, key_data_changes, key_data_digests

ROOT = Path(__file__).resolve().parents[1]

# Sign real-looking copies in a fresh interpreter and name every file of the repository it opens that
# is not code: the data the key read, whichever module and helper read it.
_OPENED = r"""
import json, pathlib, sys
root = pathlib.Path.cwd().resolve()
opened = set()
def hook(event, args):
    if event == "open" and isinstance(args[0], (str, pathlib.Path)):
        p = pathlib.Path(args[0]).resolve()
        if root in p.parents and p.suffix not in (".py", ".pyc") and not {".venv", "tests"} & set(p.parts):
            opened.add(p.relative_to(root).as_posix())
sys.addaudithook(hook)
from tasks.dedupe import make_signatures
make_signatures([(str(i), "s", None, t, None) for i, t in enumerate(json.loads(sys.argv[1]))])
print(json.dumps(sorted(opened)))
"""

# The key's data read from copies of the data folders (argv[1]/tasks/data, argv[1]/warehouse/data)
# in a fresh interpreter: the digests that differ from the recorded ones.
_CHANGES = r"""
import json, pathlib, sys
from importlib import resources
copies, files = pathlib.Path(sys.argv[1]), resources.files
resources.files = lambda package: copies / package if package in ("tasks", "warehouse") else files(package)
from tasks.dedupe import key_data_changes
print(json.dumps(key_data_changes()))
"""

TEXTS = [
    # a caption over the dateline (a given name and a credit), an agency's dateline, a sign-off
    "رجب طيب أردوغان (أ ف ب)\nأنقرة - رويترز - قال الرئيس التركي رجب طيب أردوغان يوم الخميس إن المحادثات "
    "مع الجانب الأمريكي مستمرة.\nوأضاف أن الاتفاق قريب من الإعلان عنه في الأيام المقبلة.\n(إعداد محمد علي للنشرة العربية)",
    "جو بايدن\nواشنطن 12 مارس (رويترز) - قال البيت الأبيض إن الرئيس جو بايدن سيزور المنطقة الشهر المقبل.\n"
    "المصدر: وكالة الأنباء الفرنسية",
    # a picture's caption under the story: a short name and a credit
    "القاهرة - «الشرق الأوسط»: أعلنت وزارة التخطيط المصرية أن النمو بلغ 4 في المئة.\nوأوضحت الوزارة في بيان أن "
    "القطاع الخاص قاد النمو.\nهالة السعيد - رويترز",
]


def _run(script: str, *args: str) -> object:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-c", script, *args], cwd=ROOT, env=env, capture_output=True,
                          text=True, check=True)
    return json.loads(done.stdout)


def test_the_key_data_is_the_data_recorded_for_its_version() -> None:
    changes = key_data_changes()
    assert not changes, (
        f"the dedupe key's data changed ({', '.join(changes)}): bump SIG_VERSION and record "
        f"KEY_DATA_DIGESTS[{SIG_VERSION + 1}] = {key_data_digests()!r} (tasks/dedupe.py)")
    assert max(KEY_DATA_DIGESTS) == SIG_VERSION


def test_every_data_file_the_key_reads_is_pinned() -> None:
    """Whatever reads it (dedupe itself, attribution's strip_for_key, warehouse.arabic's tokeniser, a
    helper added later), a data file opened while signing is one `key_data` pins."""
    opened = _run(_OPENED, json.dumps(TEXTS))
    assert opened == sorted(key_data()), "a data file the key reads is not in tasks/dedupe.py key_data"


def _copies(tmp_path: Path) -> Path:
    for package in ("tasks", "warehouse"):
        shutil.copytree(ROOT / package / "data", tmp_path / package / "data")
    return tmp_path


def _edit(root: Path, path: str, before: str = "", after: str = "") -> None:
    f = root / path
    f.write_text(before + f.read_text("utf-8") + after, "utf-8")


def test_a_comment_or_blank_line_changes_no_digest(tmp_path: Path) -> None:
    root = _copies(tmp_path)
    for path in KEY_DATA_DIGESTS[SIG_VERSION]:
        _edit(root, path, "# a maintainer's note on this list\n\n", "\n# reviewed 2026-12\n\n")
    assert _run(_CHANGES, str(root)) == {}


def test_an_entry_added_to_any_key_list_fails_the_check(tmp_path: Path) -> None:
    """One entry more in each list: a stopword, a spelling variant, an agency, a dateline town, a given
    name (each read by the key: a dateline of the town is stripped, a caption of the name dropped)."""
    root = _copies(tmp_path)
    _edit(root, "tasks/data/dedupe_stopwords.txt", after="\nحوالي\n")
    _edit(root, "warehouse/data/spelling_variants.tsv", after="\nبوتن\tبوتين\tPutin\n")
    _edit(root, "warehouse/data/agencies.tsv", after="\nkuna2\tوكالة الأنباء التجريبية\tوكالة الأنباء التجريبية\t\t\n")
    _edit(root, "tasks/data/dateline_cities.tsv", after="\nمصر\tأبو تيج\tأبو تيج\n")
    _edit(root, "tasks/data/given_names.txt", after="\nزكريا\n")
    changes = _run(_CHANGES, str(root))
    assert sorted(changes) == sorted(KEY_DATA_DIGESTS[SIG_VERSION])
    assert all(d != KEY_DATA_DIGESTS[SIG_VERSION][p] for p, d in changes.items())
