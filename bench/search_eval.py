"""Arabic search evaluation: does every surface form of a word find every article holding any
inflection of it? Analysis chains side by side on labelled sets.

Corpora: the 64 article pages of the dev fixture web (tests/fixtures/web/dev/gold.jsonl) and the 281
real SemEval-2022 Arabic articles (bench/data/semeval_ar.jsonl, see bench/data/PROVENANCE.md), title
and body. Queries: bench/search_words.py, 47 words x 3-5 surface forms, each with its form type;
relevance per word from the word's cores (see that file). A (word, corpus) pair with no relevant
article is left out of that corpus.

Per query: recall = relevant hits / relevant; precision = relevant hits / hits (all hits, not a
top-k; queries with no hit are left out of the precision mean and counted); nDCG@10 of the ranked
hits (binary gain). Chains:

* today: what `akhbar search` did before issue 12: DuckDB fts, Snowball 'arabic' stemmer on the
  matching key (ؤ→و, ئ→ي), shipped stopwords, BM25.
* Lucene light10: ArabicNormalizer + ArabicStemmer (ported; prefixes ال وال بال كال فال لل و,
  suffixes ها ان ات ون ين يه ية ه ة ي, one pass) on the matching key.
* Snowball arabic run before ة/ى folding (snowballstemmer), ISRI roots (nltk), Tashaphyne light stem,
  qalsadi lemmas (with --qalsadi: slow): on the cleaned word (harakat, tatweel gone; letters as
  written), output folded to the matching key.
* ours minus one rule (single suffix pass; no clitic readings; no broken-plural / keep lists).
* ours: warehouse/search_analysis.py, measured end to end through the real index and
  ``search_con`` (every hit, all copies).

    python bench/search_eval.py [--qalsadi] [--write] [--list-gold] [--heldout] [--analyst]

--analyst: the queries of ``ANALYST`` (bench/search_words.py) as analysts type them (operators,
agencies by any name, Latin tokens, names), on both corpora together through the index only:
recall and precision against relevance judged per article. The index is given each article's wire
agency as the pipeline attributes it (tasks.attribution on the body text), as a load stores it.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import time
from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import regex

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.search_words import HELDOUT, PREFIX, SUFFIX, WORDS  # noqa: E402
from warehouse.arabic import clean_text, normalize_key  # noqa: E402
from warehouse.search_analysis import Options, index_terms, query_terms, search_key, stopwords  # noqa: E402

FORM_TYPES = ["indefinite", "definite", "feminine", "plural", "broken", "adjective", "variant", "clitic"]
_WORD = regex.compile(r"\w+")
TITLE_WEIGHT = 4


def load_corpora() -> dict[str, list[dict]]:
    web = []
    for line in (ROOT / "tests" / "fixtures" / "web" / "dev" / "gold.jsonl").read_text("utf-8").splitlines():
        g = json.loads(line)
        web.append({"id": f"{g['story_id']}@{g['outlet_id']}", "title": g["title"],
                    "text": "\n".join(g["body_paragraphs"])})
    semeval = []
    for line in (ROOT / "bench" / "data" / "semeval_ar.jsonl").read_text("utf-8").splitlines():
        d = json.loads(line)
        semeval.append({"id": d["id"], "title": d["title"], "text": d["text"]})
    return {"fixture web (64)": web, "SemEval ar (281)": semeval}


# A core shaped as a passive participle مفعول (مسؤول): followed by ية / يات / يت it is the abstract noun
# مفعولية (مسؤولية responsibility, مسؤولياتها), a word of its own, not an inflection (session 17; the
# participle's feminine is مسؤولة, its nisba-looking مسؤولي the plural "officials of").
_PARTICIPLE = regex.compile(r"^م[^ا][^ا]و[^اوي]$")


def gold_patterns(words) -> dict[str, regex.Pattern]:
    out = {}
    for word, _gloss, cores, _forms in words:
        keys = sorted({search_key(c) for c in cores}, key=len, reverse=True)
        alts = "|".join(k + "(?!يه$|يات|يت.)" if _PARTICIPLE.match(k) else k for k in keys)
        out[word] = regex.compile(f"^{PREFIX}(?:{alts}){SUFFIX}$")
    return out


def relevant(docs: list[dict], pattern: regex.Pattern) -> set[str]:
    return {d["id"] for d in docs if any(pattern.match(k) for k in d["_keys"])}


# ------------------------------------------------------------------------------ token chains

def light10(key: str) -> str:
    """Lucene ArabicStemmer on a normalised key (ArabicNormalizer's folds are in search_key)."""
    for pre in ("ال", "وال", "بال", "كال", "فال", "لل", "و"):
        if key.startswith(pre) and (len(key) > len(pre) + 1 if pre != "و" else len(key) > 3):
            key = key[len(pre):]
            break
    for suf in ("ها", "ان", "ات", "ون", "ين", "يه", "ه", "ي"):  # ية/ة are يه/ه after folding
        if key.endswith(suf) and len(key) >= len(suf) + 2:
            key = key[: -len(suf)]
    return key


def external(stem: Callable[[str], str]) -> Callable[[str], tuple[str, ...]]:
    """A stemmer that wants letters as written: run it on the cleaned word, fold its output."""
    cache: dict[str, tuple[str, ...]] = {}

    def run(word: str) -> tuple[str, ...]:
        hit = cache.get(word)
        if hit is None:
            out = search_key(stem(word) or word)
            hit = cache[word] = (out,) if out else ()
        return hit
    return run


def make_chains(with_qalsadi: bool) -> dict[str, tuple[str, Callable | None]]:
    """name -> (kind, function). kind 'key': fn(key) -> terms on matching keys (both sides);
    'raw': fn(cleaned word) -> terms; 'ours': Options for index_terms/query_terms."""
    import snowballstemmer
    from nltk.stem.isri import ISRIStemmer
    from tashaphyne.stemming import ArabicLightStemmer

    snow = snowballstemmer.stemmer("arabic")
    isri = ISRIStemmer()
    tash = ArabicLightStemmer()
    chains: dict[str, tuple[str, Callable | Options | None]] = {
        "today: fts Snowball on the folded key": ("fts", None),
        "Lucene light10 (ArabicNormalizer + ArabicStemmer)": ("key", lambda k: (light10(k),)),
        "Snowball arabic before ة/ى folding": ("raw", external(snow.stemWord)),
        "ISRI root (nltk)": ("raw", external(isri.stem)),
        "Tashaphyne light stem": ("raw", external(tash.light_stem)),
    }
    if with_qalsadi:
        import qalsadi.lemmatizer

        lem = qalsadi.lemmatizer.Lemmatizer()
        chains["qalsadi lemma"] = ("raw", external(lambda w: lem.lemmatize(w) or w))
    chains["ours, one suffix pass"] = ("ours", Options(iterate=False))
    chains["ours, no clitic readings"] = ("ours", Options(clitics=False))
    chains["ours, no plural/keep lists"] = ("ours", Options(plurals=False, keep=False, patterns=False))
    chains["ours, no plural patterns"] = ("ours", Options(patterns=False))
    chains["ours (chosen): through the index"] = ("index", None)
    return chains


# ---------------------------------------------------------------------------------- scoring

def bm25_rank(docs: list[dict], match: Callable[[dict], tuple[int, int]]) -> list[str]:
    """Docs with a match, best first (BM25F as in search_articles.sql, one query word)."""
    n = len(docs)
    rows = []
    for d in docs:
        tf_t, tf_b = match(d)
        if tf_t or tf_b:
            rows.append((d, tf_t, tf_b))
    if not rows:
        return []
    avg = sum(TITLE_WEIGHT * d["_len_t"] + d["_len_b"] for d in docs) / n
    df = len(rows)
    idf = math.log(1 + (n - df + 0.5) / (df + 0.5))
    scored = []
    for d, tf_t, tf_b in rows:
        tf = TITLE_WEIGHT * tf_t + tf_b
        length = TITLE_WEIGHT * d["_len_t"] + d["_len_b"]
        scored.append((-(tf_t > 0), -idf * tf * 2.2 / (tf + 1.2 * (0.25 + 0.75 * length / avg)), d["id"]))
    return [i for *_, i in sorted(scored)]


def ndcg10(ranked: list[str], rel: set[str]) -> float:
    dcg = sum(1 / math.log2(i + 2) for i, a in enumerate(ranked[:10]) if a in rel)
    ideal = sum(1 / math.log2(i + 2) for i in range(min(10, len(rel))))
    return dcg / ideal if ideal else 0.0


def prepare(docs: list[dict]) -> None:
    for d in docs:
        d["_title_keys"] = search_key(d["title"]).split()
        d["_body_keys"] = search_key(d["text"]).split()
        d["_keys"] = set(d["_title_keys"]) | set(d["_body_keys"])
        d["_raw_title"] = _WORD.findall(clean_text(d["title"]))
        d["_raw_body"] = _WORD.findall(clean_text(d["text"]))
        sw = stopwords()
        d["_len_t"] = sum(1 for k in d["_title_keys"] if k not in sw)
        d["_len_b"] = sum(1 for k in d["_body_keys"] if k not in sw)


def run_chain(kind: str, fn, docs: list[dict], queries: list[tuple[str, str, str]]) -> dict[str, list[str]]:
    """query form -> ranked hit ids."""
    sw = stopwords()
    if kind == "fts":
        return run_fts(docs, [q for _, q, _ in queries])
    if kind == "index":
        return run_index(docs, [q for _, q, _ in queries])
    out = {}
    if kind == "ours":
        opt = fn
        term_sets = {d["id"]: ([frozenset(index_terms(k, opt)) for k in d["_title_keys"]],
                               [frozenset(index_terms(k, opt)) for k in d["_body_keys"]]) for d in docs}
        for _, form, _ in queries:
            want = set()
            for k in search_key(form).split():
                want |= set(query_terms(k, opt))

            def match(d, want=want):
                t, b = term_sets[d["id"]]
                return sum(1 for s in t if s & want), sum(1 for s in b if s & want)
            out[form] = bm25_rank(docs, match) if want else []
        return out
    # token chains: one term per word
    side = "_raw" if kind == "raw" else ""
    terms = {}
    for d in docs:
        if kind == "raw":
            t = [x for w in d["_raw_title"] if search_key(w) not in sw for x in fn(w)]
            b = [x for w in d["_raw_body"] if search_key(w) not in sw for x in fn(w)]
        else:
            t = [x for k in d["_title_keys"] if k not in sw for x in fn(k)]
            b = [x for k in d["_body_keys"] if k not in sw for x in fn(k)]
        terms[d["id"]] = (Counter(t), Counter(b))
    del side
    for _, form, _ in queries:
        if kind == "raw":
            want = {x for w in _WORD.findall(clean_text(form)) for x in fn(w)}
        else:
            want = {x for k in search_key(form).split() for x in fn(k)}

        def match(d, want=want):
            t, b = terms[d["id"]]
            return sum(t[w] for w in want), sum(b[w] for w in want)
        out[form] = bm25_rank(docs, match) if want else []
    return out


def run_fts(docs: list[dict], forms: list[str]) -> dict[str, list[str]]:
    import duckdb

    from warehouse.db import load_fts

    old = str.maketrans({"\u0624": "\u0648", "\u0626": "\u064a"})

    def key(s: str) -> str:
        return normalize_key(s).translate(old)
    con = duckdb.connect()
    load_fts(con)
    con.execute("CREATE TABLE d (id VARCHAR, t VARCHAR, b VARCHAR)")
    con.executemany("INSERT INTO d VALUES (?, ?, ?)", [[x["id"], key(x["title"]), key(x["text"])] for x in docs])
    con.execute("CREATE TABLE sw (sw VARCHAR)")
    con.executemany("INSERT INTO sw VALUES (?)", [[w.translate(old)] for w in sorted(stopwords())])
    con.execute("PRAGMA create_fts_index('d', 'id', 't', 'b', stemmer = 'arabic', stopwords = 'sw', "
                "ignore = '[^\\p{L}\\p{N}]+', strip_accents = 0, lower = 0)")
    out = {}
    for form in forms:
        out[form] = [r[0] for r in con.execute(
            "SELECT id FROM (SELECT id, fts_main_d.match_bm25(id, ?) AS s FROM d) WHERE s IS NOT NULL "
            "ORDER BY s DESC, id", [key(form)]).fetchall()]
    return out


def run_index(docs: list[dict], forms: list[str]) -> dict[str, list[str]]:
    """Ours end to end: the real index (warehouse/search_index.py) and search_con."""
    import duckdb
    import pyarrow as pa

    from tasks.attribution import attribute
    from warehouse.search import install_macros, search_con
    from warehouse.search_index import index_batches

    con = duckdb.connect()
    con.execute("CREATE TABLE sources (source_id VARCHAR, name VARCHAR, country VARCHAR)")
    con.execute("CREATE TABLE articles (article_id VARCHAR, title VARCHAR, text VARCHAR, source_id VARCHAR, "
                "url VARCHAR, published_at TIMESTAMPTZ, fetched_at TIMESTAMPTZ, cluster_id VARCHAR, "
                "is_canonical BOOLEAN, wire_agency VARCHAR)")
    now = datetime(2026, 1, 1, tzinfo=UTC)
    # the wire agency of each copy, as the pipeline attributes it (tasks/stories.py: the body text)
    wire = [attribute(d["text"]).agency for d in docs]
    con.executemany("INSERT INTO articles VALUES (?, ?, ?, 's', ?, ?, ?, NULL, true, ?)",
                    [[d["id"], d["title"], d["text"], "u:" + d["id"], now, now, w] for d, w in zip(docs, wire, strict=True)])
    index_batches(con, [pa.table({"article_id": [d["id"] for d in docs], "title": [d["title"] for d in docs],
                                  "text": [d["text"] for d in docs], "wire_agency": wire})])
    install_macros(con)
    return {form: [h["article_id"] for h in search_con(con, form, limit=10_000, all_copies=True, snippets=False)] for form in forms}


# ---------------------------------------------------------------------------------- report

def evaluate(chains, corpora, patterns, words):
    results = {}  # (chain, corpus) -> list of per-query dicts
    for cname, docs in corpora.items():
        rel = {w: relevant(docs, patterns[w]) for w, *_ in words}
        queries = [(w, form, ftype) for w, _g, _c, forms in words for form, ftype in forms if rel[w]]
        for name, (kind, fn) in chains.items():
            t = time.monotonic()
            ranked = run_chain(kind, fn, docs, queries)
            rows = []
            for w, form, ftype in queries:
                hits = ranked[form]
                r = rel[w]
                good = len(set(hits) & r)
                rows.append({"word": w, "form": form, "type": ftype, "n_rel": len(r), "n_hits": len(hits),
                             "recall": good / len(r), "precision": good / len(hits) if hits else None,
                             "ndcg": ndcg10(hits, r)})
            results[(name, cname)] = rows
            print(f"{name:52s} {cname:18s} {summary(rows)['line']}  ({time.monotonic() - t:.1f}s)", flush=True)
    return results


def summary(rows: list[dict]) -> dict:
    recall = sum(r["recall"] for r in rows) / len(rows)
    worst = min(rows, key=lambda r: r["recall"])
    precs = [r["precision"] for r in rows if r["precision"] is not None]
    prec = sum(precs) / len(precs) if precs else 0.0
    nd = sum(r["ndcg"] for r in rows) / len(rows)
    by_type = {}
    for t in FORM_TYPES:
        sub = [r["recall"] for r in rows if r["type"] == t]
        by_type[t] = sum(sub) / len(sub) if sub else None
    no_hit = sum(1 for r in rows if not r["n_hits"])
    return {"recall": recall, "worst": worst, "precision": prec, "ndcg": nd, "by_type": by_type, "no_hit": no_hit,
            "line": f"recall {recall:.3f} worst {worst['recall']:.2f} ({worst['form']}) precision {prec:.3f} "
                    f"nDCG@10 {nd:.3f} no-hit {no_hit}"}


def markdown(results, chains, corpora) -> str:
    lines = ["| chain | corpus (queries) | mean recall | worst query | precision | nDCG@10 | "
             + " | ".join(FORM_TYPES) + " |", "|---|---|---|---|---|---|" + "---|" * len(FORM_TYPES)]
    for name in chains:
        for cname in corpora:
            rows = results[(name, cname)]
            s = summary(rows)
            bold = name.startswith("ours (chosen)")
            fmt = (lambda x: f"**{x}**") if bold else (lambda x: x)
            types = " | ".join("–" if s["by_type"][t] is None else f"{s['by_type'][t]:.2f}" for t in FORM_TYPES)
            rec, prec = fmt(f"{s['recall']:.3f}"), fmt(f"{s['precision']:.3f}")
            worst = s["worst"]
            lines.append(f"| {fmt(name)} | {cname} ({len(rows)}) | {rec} | {worst['recall']:.2f} (`{worst['form']}`) | "
                         f"{prec} | {s['ndcg']:.3f} | {types} |")
    return "\n".join(lines)


def analyst(corpora) -> list[dict]:
    """The ANALYST queries on both corpora together, through the index: recall and precision (all
    hits) per query against the judged relevance."""
    from bench.search_words import ANALYST

    docs = [d for c in corpora.values() for d in c]
    ranked = run_index(docs, [q for q, _, _ in ANALYST])
    rows = []
    for q, _gloss, rel in ANALYST:
        if isinstance(rel, dict):
            want = set().union(*(relevant(docs, gold_patterns([(c, "", [c], [])])[c]) for c in rel["cores"]))
            for c in rel.get("not", []):
                want -= relevant(docs, gold_patterns([(c, "", [c], [])])[c])
        else:
            want = set(rel)
        hits = set(ranked[q])
        good = len(hits & want)
        rows.append({"query": q, "n_rel": len(want), "n_hits": len(hits), "recall": good / len(want),
                     "precision": good / len(hits) if hits else None})
        prec = "-" if not hits else f"{good / len(hits):.2f}"
        print(f"{q:24s} relevant {len(want):3d} hits {len(hits):3d} recall {good / len(want):.2f} precision {prec}")
    precs = [r["precision"] for r in rows if r["precision"] is not None]
    print(f"analyst queries ({len(rows)}): mean recall {sum(r['recall'] for r in rows) / len(rows):.3f} "
          f"precision {sum(precs) / len(precs):.3f} no-hit {sum(1 for r in rows if not r['n_hits'])}")
    return rows


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--qalsadi", action="store_true", help="also run the qalsadi lemmatizer (minutes)")
    ap.add_argument("--write", action="store_true", help="write the Search section of bench/RESULTS.md")
    ap.add_argument("--list-gold", action="store_true", help="print every word each gold pattern matches")
    ap.add_argument("--show", help="print per-query rows of this chain (substring of its name)")
    ap.add_argument("--heldout", action="store_true", help="run the held-out words instead")
    ap.add_argument("--analyst", action="store_true", help="run the analysts' queries (ANALYST) instead")
    args = ap.parse_args()
    corpora = load_corpora()
    for docs in corpora.values():
        prepare(docs)
    if args.analyst:
        analyst(corpora)
        return
    words = HELDOUT if args.heldout else WORDS
    patterns = gold_patterns(words)
    if args.list_gold:
        for w, *_ in words:
            seen = Counter(k for docs in corpora.values() for d in docs for k in d["_keys"] if patterns[w].match(k))
            print(w, dict(seen.most_common()))
        return
    chains = make_chains(args.qalsadi)
    results = evaluate(chains, corpora, patterns, words)
    held = None
    if args.write and not args.heldout:
        print("held-out words:", flush=True)
        held = evaluate(chains, corpora, gold_patterns(HELDOUT), HELDOUT)
    if args.show:
        for (name, cname), rows in results.items():
            if args.show in name:
                for r in rows:
                    if r["recall"] < 1 or (r["precision"] or 1) < 1:
                        print(cname, r)
    if args.write:
        from bench.results import write_section

        n_forms = sum(len(f) for *_, f in WORDS)
        body = (
            "## Search: every form of a word (bench/search_eval.py)\n\n"
            f"{len(WORDS)} everyday news words typed in {n_forms} surface forms (bench/search_words.py), on the 64 "
            "dev fixture-web pages and the 281 real SemEval-2022 Arabic articles. Relevant to every form of a word: "
            "each article holding any inflection of it (prefix clitics + the word's cores, broken plurals and "
            "spelling variants included + number/gender/nisba/pronoun suffixes; written from morphology, then "
            "every match listed and checked). Recall and nDCG@10 averaged over queries; precision over all hits "
            "(not a top-k) of the queries that have hits. Form-type columns: mean recall. Words absent from a "
            "corpus are left out of it. Goal: mean recall >= 0.97, worst query >= 0.85, precision >= 0.95.\n\n"
            + markdown(results, chains, corpora) + "\n\n"
            f"**Held-out words** ({len(HELDOUT)} words, {sum(len(f) for *_, f in HELDOUT)} forms, `HELDOUT` in "
            "bench/search_words.py): written after the chain was tuned on the words above (its lists were extended "
            "while reading their misses) and never used to tune it, with one exception stated here: their first "
            "run showed that a word which itself begins with ال once normalised (ألمانيا, التزام) lost those letters "
            "only without the article, and the article rule was made general (stripped once more); before that fix "
            "the chosen chain scored recall 0.981 / 0.950 and precision 1.000 / 0.968 on them. A second exception: "
            "`عواصم` scored 0 here (no list entry), which led to the broken-plural *patterns* (فواعل, فواعيل, أفعلة, "
            "فعلاء: the singular rebuilt letter by letter, added as an extra term); they are a general rule, checked "
            "on 20 other plural/singular pairs that are in neither the evaluation nor the list (20 of 20 meet, "
            "tests/test_search.py has 16 of them); before them the chosen chain scored recall 0.981 / 0.971, "
            "worst form 0.00 (`عواصم`), see the row \"ours, no plural patterns\". A third round (session 3): "
            "the worst form was `الكهرباء` at 0.83 on SemEval (one article writes كهربا, without the final hamza; "
            "there it is a footballer's nickname, literally \"electricity\", which the morphological relevance "
            "counts). Before writing a rule for hamza spellings, 7 held-out words of that shape were added "
            "(طوارئ, غذاء, قضاء, أعضاء, مساء, دائم, قائد: hamza after alif at the end or inside, hamza on a seat) and "
            "run with the chain as it was: recall 0.972 / 0.965, worst form 0.00 / 0.08 (`الطوارىء`, the old "
            "spelling ىء; `دايما` 0.00 / 0.17, `قايد` 0.16), precision 1.000 / 0.981 (fixture web / SemEval). Then "
            "the rule (warehouse/search_analysis.py, rule 6: ىء read as ئ; the spelling with the hamza dropped or "
            "written is a query variant, kept only where the index shows it is the rarer spelling). Its first run "
            "on them let three-letter variant terms meet unrelated words (مساء met مساهمة, whose stem is مسا: "
            "precision 0.53 for `مساء` on the fixture web; قضاء met قضاة): recall 1.000 / 0.998, precision 0.974 / "
            "0.969; a variant term must keep four letters since, which gives the rows below.\n\n"
            + markdown(held, chains, corpora) + "\n\n"
            "Chosen: `warehouse/search_analysis.py` (matching key + hamza seats; stopwords; the article stripped, "
            "single-letter proclitics indexed as an extra reading of text words only; suffixes stripped to a "
            "fixed point keeping 3 letters; a bare ت read as ة; a hand-written list of broken plurals and of names "
            "whose ending only looks like a suffix; four productive broken-plural patterns; hamza spellings: ىء read as ئ, and a query word also looks for its spelling with the hamza dropped or written where the index shows that spelling is the rarer one — e.g. كهربا, موانى, دايما; `tests/test_search.py` proves both directions on real forms, and that a hamza-less spelling common in its own right, such as the footballer كهربا in sports news, stays apart). The rows \"ours, ...\" take one rule out each. The perfect scores on the development words are fitted by construction (their misses extended the lists); the held-out table is the estimate to trust: a nisba can meet an unrelated plural (صحفي and صحف, precision 0.53 for صحفي on SemEval), broken plurals of other shapes (أفعال, فعول) still need the list, and a hamza spelling variant is only joined where the index holds it as the rarer spelling (a small or one-sided collection can keep them apart), costs precision where the hamza-less stem is shared (`الكهرباء` also finds the Egyptian adjective الكهربي, which the relevance counts since session 16: it was 0.75 on SemEval before), is not used by the rows \"ours, ...\" (query terms only) and is not highlighted in snippets.\n\n"
            "Command: `python bench/search_eval.py --qalsadi --write` (needs `pip install -e '.[bench]'`).\n")
        write_section("search", body)


if __name__ == "__main__":
    main()
