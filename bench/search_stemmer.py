"""Measure the search stemmer: DuckDB fts stemmer 'arabic' (Snowball) vs 'none', on the fixture web.

Documents: the 64 article pages of tests/fixtures/web/dev/gold.jsonl (title + body), indexed
exactly as warehouse/search.py does (search_key, Arabic stopwords, ignore='[^\\p{L}\\p{N}]+').
Queries: 20 short hand-written analyst queries, worded on purpose unlike the pages (singular for
plural, adjective for noun, no article, other clitics), where stemming could matter. Relevant = every page about the same event
(wire copies and independent follow-ups; gold `event_id`), or the one page for a standalone story.

Metrics: P@5 (hits in top 5 / 5), nP@5 (hits in top 5 / min(5, #relevant): 1.0 is perfect even
when a story has fewer than 5 pages), R@10, MRR. Writes the table into bench/RESULTS.md between
the `<!-- search:start -->` / `<!-- search:end -->` markers.

    python bench/search_stemmer.py
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.results import write_section  # noqa: E402
from warehouse.db import load_fts  # noqa: E402
from warehouse.search import INDEX_SCHEMA, create_fts, search_key  # noqa: E402

GOLD = ROOT / "tests" / "fixtures" / "web" / "dev" / "gold.jsonl"
RESULTS = ROOT / "bench" / "RESULTS.md"

# query -> event_id (or story_id for standalone pages)
# Set A, "headline-like": wording close to the pages (hamza/ta-marbuta spellings vary).
QUERIES_PLAIN: list[tuple[str, str]] = [
    ("زلزال البحر الميت", "dev-e11"),
    ("اللاجئون والمساعدات الغذائية", "dev-e03"),
    ("مؤتمر المياه في الرياض", "dev-e07"),
    ("تأهيل سوق جبيل القديم", "dev-s01"),
    ("غرق مهاجرين قبالة صفاقس", "dev-e10"),
    ("البنك المركزي المصري يثبت الفائدة", "dev-e01"),
    ("لقاء بلينكن ورئيس الموساد", "dev-e13"),
    ("اكتشاف نفطي كويتي جديد", "dev-e08"),
    ("عاصفه لبنان والدفاع المدني", "dev-e02"),
    ("ملعب الحسن الثاني", "dev-e12"),
    ("تاشيرات العمل الالمانيه", "dev-e05"),
    ("اتفاقيه المياه بين تركيا والعراق", "dev-e04"),
    ("محطة العجبان الشمسية", "dev-e06"),
    ("تمديد تخفيضات اوبك", "dev-e09"),
    ("اسعار البندوره في عمان", "dev-s05"),
    ("ربع نهائي كأس العرش", "dev-s06"),
    ("الاسماعيلي والمصري الدوري", "dev-s02"),
    ("امتحانات نصف السنه العراقية", "dev-s03"),
    ("معرض الكتب المستعمله", "dev-s04"),
    ("بورصة الكويت والبنوك", "dev-s07"),
]

# Set B, "inflected": other forms than the pages use.
QUERIES: list[tuple[str, str]] = [
    ("زلازل الأردن", "dev-e11"),
    ("لاجئ غذاء", "dev-e03"),
    ("مؤتمر مائي بالرياض", "dev-e07"),
    ("ترميم أسواق جبيل", "dev-s01"),
    ("مهاجر تونسي غريق", "dev-e10"),
    ("فائدة البنوك المصرية", "dev-e01"),
    ("إسرائيلي الموساد", "dev-e13"),
    ("نفط كويتي", "dev-e08"),
    ("عواصف لبنانية", "dev-e02"),
    ("مونديال المغرب", "dev-e12"),
    ("عامل ماهر ألماني", "dev-e05"),
    ("مياه دجلة والفرات", "dev-e04"),
    ("طاقة شمسية إماراتية", "dev-e06"),
    ("برميل أوبك", "dev-e09"),
    ("بندورة وخيار", "dev-s05"),
    ("الرجاء حسنية أكادير", "dev-s06"),
    ("تعادل الإسماعيلي", "dev-s02"),
    ("امتحان تربوي عراقي", "dev-s03"),
    ("كتاب مستعمل دبي", "dev-s04"),
    ("أسهم بنكية كويتية", "dev-s07"),
]


def load_docs() -> list[dict]:
    docs = []
    for line in GOLD.read_text(encoding="utf-8").splitlines():
        g = json.loads(line)
        docs.append(dict(article_id=g["story_id"] + "@" + g["outlet_id"], title=g["title"],
                         text="\n".join(g["body_paragraphs"]), topic=g["event_id"] or g["story_id"]))
    return docs


def evaluate(stemmer: str, use_stopwords: bool, docs: list[dict],
             queries: list[tuple[str, str]]) -> dict[str, float]:
    con = duckdb.connect()
    load_fts(con)
    con.execute("CREATE TABLE article_search (article_id VARCHAR PRIMARY KEY, title_norm VARCHAR, "
                "body_norm VARCHAR, src_hash VARCHAR)")
    con.executemany("INSERT INTO article_search VALUES (?, ?, ?, NULL)",
                    [[d["article_id"], search_key(d["title"]), search_key(d["text"])] for d in docs])
    create_fts(con, stemmer, use_stopwords)
    topic = {d["article_id"]: d["topic"] for d in docs}
    p5 = np5 = r10 = mrr = 0.0
    for query, want in queries:
        relevant = {a for a, t in topic.items() if t == want}
        ranked = [r[0] for r in con.execute(
            f"SELECT article_id FROM (SELECT article_id, {INDEX_SCHEMA}.match_bm25(article_id, ?) AS s "
            "FROM article_search) WHERE s IS NOT NULL ORDER BY s DESC, article_id LIMIT 10",
            [search_key(query)]).fetchall()]
        hits5 = sum(1 for a in ranked[:5] if a in relevant)
        p5 += hits5 / 5
        np5 += hits5 / min(5, len(relevant))
        r10 += sum(1 for a in ranked if a in relevant) / len(relevant)
        mrr += next((1 / (i + 1) for i, a in enumerate(ranked) if a in relevant), 0.0)
    n = len(queries)
    return dict(p5=p5 / n, np5=np5 / n, r10=r10 / n, mrr=mrr / n)


def main() -> None:
    docs = load_docs()
    lines = []
    for set_name, queries in [("A headline-like", QUERIES_PLAIN), ("B inflected", QUERIES)]:
        for stemmer, sw in [("none", True), ("arabic", True), ("none", False), ("arabic", False)]:
            m = evaluate(stemmer, sw, docs, queries)
            print(f"{set_name:16s} stemmer={stemmer:7s} stopwords={sw!s:5s} P@5={m['p5']:.3f} "
                  f"nP@5={m['np5']:.3f} R@10={m['r10']:.3f} MRR={m['mrr']:.3f}")
            lines.append(f"| {set_name} | {stemmer} | {'Arabic list' if sw else 'none'} | {m['p5']:.3f} | "
                         f"{m['np5']:.3f} | {m['r10']:.3f} | {m['mrr']:.3f} |")
    table = "\n".join(lines)
    section = (
        "## Search: fts stemmer 'arabic' vs 'none' (bench/search_stemmer.py)\n\n"
        f"{len(docs)} fixture-web pages (tests/fixtures/web/dev), two sets of {len(QUERIES)} hand-written queries "
        "with gold relevance (all pages of the same event, wire copies and independent follow-ups; the page "
        "itself for a standalone story; 1 to 7 relevant pages per query). Set A is worded like the pages; "
        "set B uses other inflections (singular for plural, adjective for noun, no article). Text and "
        "queries normalised with `search_key` (normalize_key, plus ؤ→و and ئ→ي); tokenizer `ignore='[^\\p{L}\\p{N}]+'`, "
        "BM25 defaults (k=1.2, b=0.75), OR semantics. nP@5 divides by min(5, #relevant).\n\n"
        "| queries | stemmer | stopwords | P@5 | nP@5 | R@10 | MRR |\n|---|---|---|---|---|---|---|\n"
        f"{table}\n\n"
        "Chosen: `warehouse.search.STEMMER = 'arabic'`: never worse than 'none' here and clearly better on "
        "inflected queries. Its known over-stemming (وزاره→زار, واشنطن→واشنط) did not cost precision on this set, "
        "and because the index holds matching keys (ة already ه) it cannot strip that suffix. The stopword "
        "list changes nothing at this size (BM25 idf already discounts function words); it keeps the index "
        "smaller. Caveat: 64 pages; one query is 0.05 of a mean.\n"
    )
    write_section("search", section)


if __name__ == "__main__":
    main()
