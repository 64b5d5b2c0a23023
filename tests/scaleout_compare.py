"""What "the same warehouse" means for a sharded or distributed run: the same articles (text,
outlet, agency, content hash), the same story clusters as sets of articles, the same canonical
copy and agency per cluster. Cluster ids may differ (a cluster is named after its founding copy,
and which copy founds it depends on arrival order)."""

from __future__ import annotations

from warehouse.queries import table_rows


def fingerprint(db) -> dict:
    arts = table_rows(db, "SELECT article_id, source_id, title, content_hash, wire_agency, extraction_status, "
                          "cluster_id, is_canonical FROM articles")
    by_cluster: dict[str, list[str]] = {}
    for a in arts:
        if a["cluster_id"]:
            by_cluster.setdefault(a["cluster_id"], []).append(a["article_id"])
    clusters = table_rows(db, "SELECT cluster_id, canonical_article_id, agency, n_articles, n_sources FROM story_clusters")
    cluster_view = sorted(
        (tuple(sorted(by_cluster.get(c["cluster_id"], []))), c["canonical_article_id"], c["agency"],
         c["n_articles"], c["n_sources"]) for c in clusters)
    articles = sorted((a["article_id"], a["source_id"], a["title"], a["content_hash"], a["wire_agency"],
                       a["extraction_status"], a["is_canonical"]) for a in arts)
    dup_keys = table_rows(db, "SELECT count(*) - count(DISTINCT article_id) AS d FROM articles")[0]["d"]
    return {"articles": articles, "clusters": cluster_view, "duplicate_keys": dup_keys}


def assert_same_warehouse(got_db, want_db) -> None:
    got, want = fingerprint(got_db), fingerprint(want_db)
    assert got["duplicate_keys"] == 0
    assert len(got["articles"]) == len(want["articles"])
    diff = sorted(set(want["articles"]) ^ set(got["articles"]))
    assert got["articles"] == want["articles"], f"articles differ: {diff[:6]}"
    multi = [c for c in want["clusters"] if len(c[0]) > 1]
    assert len(multi) >= 5, "the fixture web should have several wire-story clusters"
    missing = sorted(set(want["clusters"]) - set(got["clusters"]))
    extra = sorted(set(got["clusters"]) - set(want["clusters"]))
    assert not missing and not extra, f"clusters differ:\n want only: {missing}\n got only: {extra}"
