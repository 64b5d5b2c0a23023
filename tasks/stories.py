"""The dedupe stage: attribute each article to a wire agency (the text's credit, else the agency
whose own service the catalog says its outlet is), match it against recent articles (stored
signatures from earlier runs plus this batch), and produce the story-cluster rows. Stored
signatures of an older dedupe key are re-signed once, at the first load after the upgrade
(`resign_stored`)."""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import NamedTuple

from tasks import dates
from tasks.attribution import Attribution, attribute, own_service, vote
from tasks.boilerplate import BoilerplateModel, StoredCounts
from tasks.dedupe import DEFAULT, SIG_VERSION, Params, Signature, assign_clusters, make_signatures
from tasks.models import Article
from tasks.pool import map_in_processes, release_workers
from tasks.rows import error_row
from warehouse.errors import error_line  # imports nothing: workers report failures with it

# The warehouse modules (DuckDB, pyarrow) are imported where the warehouse is read or written,
# not with this module: the extraction workers' fork server imports it for signing
# (tasks/preload.py) and so carried both libraries, ~100 MB of RSS it never used and ~25 MB of
# heap copied into every worker it forks (issue 18, memory).

log = logging.getLogger("akhbar.stories")

# Statuses whose text is worth matching (a feed summary can still reveal a teaser copy).
MATCHABLE = ("ok", "fallback_summary")

# source_id -> agency id of the outlets that are a wire agency's own service (catalog `agency`):
# their copies are canonical (`choose_canonical`) and, crediting no agency, the agency's (`own_service`).
NO_AGENCY_OUTLETS: Mapping[str, str] = {}


@dataclass
class StoriesResult:
    tables: dict[str, list[dict]] = field(default_factory=dict)
    duplicate_ids: set[str] = field(default_factory=set)
    new_clusters: int = 0
    top_clusters: list[dict] = field(default_factory=list)
    failed: str | None = None  # why matching failed and the articles were stored as stories of their own
    alone_ids: list[str] = field(default_factory=list)  # the articles a failed matching stored alone
    problems: dict[str, str] = field(default_factory=dict)  # article_id -> why its attribution or signature failed
    # a streamed run's last chunk (`RunPlacement`): how many more of its earlier chunks' articles
    # are copies than their chunks said (may be negative); new_clusters is then the change too
    duplicates_change: int = 0
    kept_ids: list[str] = field(default_factory=list)  # earlier runs' articles stored again: clusters kept

    @property
    def went_wrong(self) -> bool:
        """Whether the matching failed or some article's attribution or signature did: the run
        warns (`failure_warning`) and run_errors lists them (`failure_rows`)."""
        return bool(self.failed or self.problems)


# A streamed run of at most this many articles is placed again at its end (`RunPlacement`): its
# signatures (~5.4 KB each: the big web's 2,048), their views and the window are what that step
# holds; a feed ingest brings a few thousand articles at most, so a WARC backfill of 10k or 50k
# pages keeps its memory bound (issue 18) and its chunks' clusters.
SETTLE_MAX_ARTICLES = 5000


@dataclass
class RunPlacement:
    """A streamed run's articles placed chunk by chunk: each article's cluster as its chunk
    placed it (article id -> cluster id), two strings per article. A chunk is placed against
    what has arrived so far, so those clusters depend on the arrival order and on where chunks
    end (a later-published copy that arrived first founds the story; a paragraph is a template
    only once the chunk sees enough holders); the run's last chunk places all of them again with
    its own, in publication order (`cluster_signed`'s settle): the clusters of one batch.
    That last step holds the run's signatures (not its pages): a run of more than `limit`
    articles (a large WARC backfill) keeps its chunks' clusters instead (`over`), as one batch
    of it would not fit the run's memory bound either."""

    clusters: dict[str, str] = field(default_factory=dict)
    limit: int = SETTLE_MAX_ARTICLES
    over: bool = False
    duplicates: int = 0  # the chunks' counts (StoriesResult.duplicate_ids, new_clusters) so far
    new_clusters: int = 0

    def add(self, clustered: StoriesResult) -> None:
        signed = {row["article_id"] for row in clustered.tables.get("article_signatures", ())}
        signed -= set(clustered.kept_ids)  # (an earlier run's article: its cluster is not the run's to place)
        self.duplicates += len(clustered.duplicate_ids & signed)  # (what the settle counts again)
        self.new_clusters += clustered.new_clusters
        if self.over:
            return
        for row in clustered.tables.get("cluster_members", ()):
            if row["article_id"] in signed:
                self.clusters[row["article_id"]] = row["cluster_id"]
        if len(self.clusters) > self.limit:
            log.info("a run of more than %d articles keeps the clusters its chunks gave them", self.limit)
            self.over = True
            self.clusters.clear()


@dataclass
class Unloaded:
    """A run's chunks that are staged but not in the warehouse yet (a load deferred because
    another process holds the file, or a dry run): the dedupe of the next chunks sees them the
    way it would see them in the warehouse (`signatures_between`, `cluster_members`, `articles`)."""

    signatures: dict[str, dict] = field(default_factory=dict)  # article_signatures rows
    clusters: dict[str, str] = field(default_factory=dict)  # article_id -> cluster_id
    members: dict[str, dict] = field(default_factory=dict)  # article_id -> title, source_id, agency

    def add(self, clustered: StoriesResult, arts: list[Article]) -> None:
        for row in clustered.tables.get("article_signatures", []):
            self.signatures[row["article_id"]] = row
        for row in clustered.tables.get("cluster_members", []):
            self.clusters[row["article_id"]] = row["cluster_id"]
        for a in arts:
            self.members[a.article_id] = dict(article_id=a.article_id, title=a.extraction.title,
                                              source_id=a.source_id, wire_agency=a.wire_agency,
                                              agency_evidence=a.agency_evidence)

    def clear(self) -> None:
        self.signatures.clear()
        self.clusters.clear()
        self.members.clear()

    def between(self, start: datetime, end: datetime) -> list[dict]:
        """What `queries.signatures_between` would give for these articles."""
        out = []
        for row in self.signatures.values():
            when = row.get("published_at") or row.get("fetched_at")
            if when is not None and start <= when <= end:
                out.append({**row, "member_cluster_id": self.clusters.get(row["article_id"])})
        return out


def load_boilerplate(db_path: Path) -> BoilerplateModel:
    """The warehouse's outlet-boilerplate model, read lazily: only the outlets and lines of the
    pages it is shown (see tasks/boilerplate.py), never the whole table."""
    def store(wanted: dict[str, set[str]]) -> StoredCounts:
        from warehouse import queries

        return StoredCounts(*queries.boilerplate_counts(db_path, wanted))

    return BoilerplateModel(store=store)


def boilerplate_tables(model: BoilerplateModel) -> dict[str, list[dict]]:
    """The rows the model changed since the last call, as staged tables."""
    docs, lines = model.changes()
    return {"boilerplate_docs": docs, "boilerplate_lines": lines}


def cluster_articles(arts: list[Article], db_path: Path, window_hours: int,
                     agency_outlets: Mapping[str, str] = NO_AGENCY_OUTLETS,
                     rescore_existing: bool = False, workers: int = 1,
                     unloaded: Unloaded | None = None, last: bool = False,
                     alone_on_error: bool = False, run: RunPlacement | None = None) -> StoriesResult:
    """Fill wire_agency / cluster_id / is_canonical on `arts` and return the rows to load.

    rescore_existing: see `assign_clusters` (reprocess: already-clustered articles keep their
    cluster, which is re-measured and re-emitted). unloaded: this run's staged chunks that are not
    in the warehouse yet, matched as if they were. last: the run's last chunk (every page is
    extracted): the warm extraction workers are released once its signatures are made, before
    the window read (the run's memory peak on a large warehouse). alone_on_error: a failed
    matching stores the articles as stories of their own (`match_or_alone`) instead of raising.
    agency_outlets: see NO_AGENCY_OUTLETS. run: a streamed run's placement so far (`RunPlacement`):
    a chunk that is not the last adds its articles to it; the last one places them all again."""
    signed = attribute_and_sign(arts, workers, last, agency_outlets)
    match = match_or_alone if alone_on_error else cluster_signed
    settle = dict(run.clusters) if run is not None and last and run.clusters else None
    result = match(arts, signed.attributions, signed.sigs, db_path, window_hours, agency_outlets,
                   rescore_existing, unloaded, settle)
    result.problems = signed.problems
    if run is not None and not last:
        run.add(result)
    elif settle and not result.failed:  # the counts of the run's chunks become those of the run
        earlier = [m for m in result.tables.get("cluster_members", ()) if m["article_id"] in settle]
        result.duplicates_change = sum(m["cluster_id"] != m["article_id"] for m in earlier) - run.duplicates
        result.new_clusters -= run.new_clusters
    return result


def match_or_alone(arts: list[Article], attributions: dict[str, Attribution], sigs: list[Signature],
                   db_path: Path, window_hours: int, agency_outlets: Mapping[str, str] = NO_AGENCY_OUTLETS,
                   rescore_existing: bool = False, unloaded: Unloaded | None = None,
                   settle: Mapping[str, str] | None = None) -> StoriesResult:
    """`cluster_signed`, except that if matching against the window fails (a defect meeting an
    input nobody foresaw, or signatures another version stored) each signed article becomes a
    story of its own and `failed` says why, instead of the run (or a shard's every later load)
    failing with nothing of the chunk stored; its signatures are stored, so later copies of its
    story still join it."""
    try:
        return cluster_signed(arts, attributions, sigs, db_path, window_hours, agency_outlets,
                              rescore_existing, unloaded, settle)
    except Exception as exc:
        log.exception("story matching failed for %d articles; each is stored as a story of its own", len(sigs))
        return stories_of_their_own(arts, attributions, sigs, error_line(exc))


def failure_rows(run_id: str, now: datetime, arts: list[Article], clustered: StoriesResult) -> list[dict]:
    """A run_errors row (stage 'dedupe') for each article a failed matching stored as a story of
    its own, and for each whose attribution or signature failed."""
    alone = set(clustered.alone_ids)
    why = {a: f"story matching failed ({clustered.failed}); stored as a story of its own" for a in alone}
    why.update(clustered.problems)
    return [error_row(run_id, "dedupe", feed_url=a.feed_url or None, url=a.url, outcome="error",
                      error=why[a.article_id], at=now)
            for a in arts if a.article_id in why]


def failure_warning(results: list[StoriesResult]) -> list[str]:
    """The run's warning lines for the chunks whose matching failed and the articles whose
    attribution or signature failed (none if none did)."""
    lines = []
    failed = [c for c in results if c.failed]
    if failed:
        n = sum(len(c.alone_ids) for c in failed)
        lines.append(f"story matching failed for {n} article(s) ({failed[0].failed}): each is stored as a story "
                     "of its own, and later copies of it still join it (table run_errors, stage 'dedupe', lists them)")
    problems = [why for c in results for why in c.problems.values()]
    if problems:
        lines.append(f"attribution or signature failed for {len(problems)} article(s) ({problems[0]}): stored "
                     "all the same (table run_errors, stage 'dedupe', lists them)")
    return lines


def stories_of_their_own(arts: list[Article], attributions: dict[str, Attribution], sigs: list[Signature],
                         failed: str) -> StoriesResult:
    """Each signed article a one-member story (what `cluster_signed` gives an article without a
    copy), with `failed` set."""
    now = datetime.now(UTC)
    by_id = {a.article_id: a for a in arts}
    members, clusters = [], []
    for sig in sigs:
        art, att = by_id[sig.article_id], attributions.get(sig.article_id) or Attribution()
        art.cluster_id, art.is_canonical = art.article_id, True
        members.append(dict(article_id=art.article_id, cluster_id=art.article_id, source_id=art.source_id,
                            is_canonical=True, similarity=1.0, containment=1.0,
                            matched_paragraphs=len(sig.para_hashes), joined_at=now))
        clusters.append(dict(cluster_id=art.article_id, canonical_article_id=art.article_id,
                             canonical_rule="most_complete", agency=att.agency, agency_evidence=att.evidence,
                             title=art.extraction.title, n_articles=1, n_sources=1, updated_at=now))
    return StoriesResult(tables=dict(article_signatures=signed_rows(arts, sigs), cluster_members=members,
                                     story_clusters=clusters, article_reuse=[], article_updates=[]),
                         failed=failed, alone_ids=[s.article_id for s in sigs])


class Signed(NamedTuple):
    """The per-article half of dedupe for a batch."""

    attributions: dict[str, Attribution]
    sigs: list[Signature]  # of the matchable articles
    problems: dict[str, str]  # article_id -> why its attribution or signature failed (stored all the same)


def attribute_and_sign(arts: list[Article], workers: int = 1, last: bool = False,
                       agency_outlets: Mapping[str, str] = NO_AGENCY_OUTLETS) -> Signed:
    """The per-article half of dedupe (CPU, parallel; a shard of a sharded ingest stops here):
    set wire_agency / agency_evidence / cited_agencies on `arts`, return the attributions and
    the signatures of the matchable ones. A copy on an agency's own service (`agency_outlets`)
    whose text credits no agency is that agency's (`own_service`). last: the run's last chunk
    (every page is extracted): this is the warm extraction workers' last job, and they are
    released when it is done. An
    article whose attribution fails is stored without an agency, one whose signature fails
    without a story: `problems` says which and why, and the others are not held back."""
    # Attribution and signatures are per-article CPU work: the extraction workers do them too,
    # SIGN_GROUP articles per job (signatures are hashed a group at a time).
    jobs = [(a.article_id, a.source_id, _when(a), a.extraction.text, a.extraction.title,
             a.extraction.status in MATCHABLE and bool(a.extraction.text.strip()), tuple(a.extraction.credits))
            for a in arts]
    groups = [jobs[i:i + SIGN_GROUP] for i in range(0, len(jobs), SIGN_GROUP)]
    done = [r for group in map_in_processes(_attribute_and_sign_group, groups, workers, chunksize=1, tick=False)
            for r in group]
    if last:
        release_workers()
    # (no text, or one whose attribution failed, is unread: it may credit another agency, so none)
    attributions = {a.article_id: own_service(att, agency_outlets.get(a.source_id))
                    if a.extraction.text.strip() and not (why and why.startswith(ATTRIBUTION_FAILED)) else att
                    for a, (att, _sig, why) in zip(arts, done, strict=True)}
    for art in arts:
        att = attributions[art.article_id]
        art.wire_agency, art.agency_evidence = att.agency, att.evidence
        art.cited_agencies = list(att.cited)
    problems = {a.article_id: why for a, (_att, _sig, why) in zip(arts, done, strict=True) if why}
    return Signed(attributions, [sig for _att, sig, _why in done if sig is not None], problems)


SIGN_GROUP = 32
ATTRIBUTION_FAILED = "attribution failed"


def signed_rows(arts: list[Article], sigs: list[Signature]) -> list[dict]:
    """article_signatures rows of a batch that is clustered later (sharded ingest)."""
    fetched = {a.article_id: a.fetched_at for a in arts}
    return [{**s.to_row(), "fetched_at": fetched.get(s.article_id)} for s in sigs]


def cluster_signed(arts: list[Article], attributions: dict[str, Attribution], new_sigs: list[Signature],
                   db_path: Path, window_hours: int, agency_outlets: Mapping[str, str] = NO_AGENCY_OUTLETS,
                   rescore_existing: bool = False, unloaded: Unloaded | None = None,
                   settle: Mapping[str, str] | None = None) -> StoriesResult:
    """The window half of dedupe: match signed articles against the stored window and each
    other, fill cluster_id / is_canonical on `arts`, return the cluster rows. Reads the
    warehouse; in a sharded ingest it runs in the one serialized load step.

    settle: a streamed run's last chunk (`RunPlacement`): its earlier chunks' articles (id ->
    the cluster its chunk gave it) are placed again with `arts`, all in publication order
    against the earlier runs' clusters, as one batch of the run's articles would be; their
    earlier reuse rows and the clusters they founded and left are withdrawn (reuse_withdrawn,
    clusters_withdrawn), and the earlier runs' clusters they left are re-measured. Reads their
    signatures again (ids and signatures, never pages: one batch's dedupe of extra work); stages
    only `arts`' own. An earlier run's article stored again keeps its cluster (`kept_ids`), in a
    chunk as at the settle, as in one batch."""
    now = datetime.now(UTC)
    settle = settle or {}
    own_sigs = list(new_sigs)  # (the earlier chunks' are stored already: not staged again)
    earlier = _run_signatures(db_path, [a for a in settle if a not in attributions], unloaded)
    new_sigs = earlier + own_sigs
    if not new_sigs:
        return StoriesResult()
    exclude = set(attributions) | set(settle)
    existing, existing_clusters = _existing(db_path, new_sigs, window_hours, exclude=exclude, unloaded=unloaded)
    # an earlier run's article stored again (a page kept cut short, asked again) keeps its cluster,
    # as every existing assignment does: the run does not place it (nor again at its end);
    # at the settle the run's articles are all placed again: none keeps its chunk's cluster
    kept = sorted(aid for aid in attributions if aid in existing_clusters and aid not in settle)
    existing_clusters = {aid: cid for aid, cid in existing_clusters.items() if aid not in settle}
    result = assign_clusters(new_sigs, existing, existing_clusters, window_hours=window_hours,
                             agency_source_ids=agency_outlets, rescore_existing=rescore_existing,
                             retouch=sorted(set(settle.values())))

    by_id = {a.article_id: a for a in arts}
    info = _stored_members(db_path, result, by_id, unloaded)
    members_of: dict[str, list[str]] = defaultdict(list)
    for m in result.memberships:
        members_of[m.cluster_id].append(m.article_id)
    out = StoriesResult(kept_ids=kept)
    previous_size = defaultdict(int)
    for cid in existing_clusters.values():
        previous_size[cid] += 1

    member_rows, update_rows = [], []
    for m in result.memberships:
        row = dict(article_id=m.article_id, cluster_id=m.cluster_id, source_id=_source(m.article_id, by_id, info),
                   is_canonical=m.is_canonical, similarity=m.similarity, containment=m.containment,
                   matched_paragraphs=m.matched_paragraphs, joined_at=now)
        member_rows.append(row)
        if m.article_id in by_id:
            by_id[m.article_id].cluster_id = m.cluster_id
            by_id[m.article_id].is_canonical = m.is_canonical
            if m.cluster_id != m.article_id:
                out.duplicate_ids.add(m.article_id)
        else:  # an earlier run's article whose canonical flag may have moved
            update_rows.append(dict(article_id=m.article_id, cluster_id=m.cluster_id, is_canonical=m.is_canonical))

    cluster_rows = []
    for c in result.clusters:
        votes = [attributions.get(aid) or _stored_attribution(info.get(aid)) for aid in members_of[c.cluster_id]]
        agency = vote([v for v in votes if v is not None])
        head = by_id.get(c.canonical_article_id)
        title = head.extraction.title if head else (info.get(c.canonical_article_id) or {}).get("title")
        sources = {_source(aid, by_id, info) for aid in members_of[c.cluster_id]}
        cluster_rows.append(dict(cluster_id=c.cluster_id, canonical_article_id=c.canonical_article_id,
                                 canonical_rule=c.canonical_rule, agency=agency.agency,
                                 agency_evidence=agency.evidence, title=title, n_articles=c.size,
                                 n_sources=len(sources), updated_at=now))
        if c.size >= 2 and previous_size[c.cluster_id] < 2:
            out.new_clusters += 1
    out.top_clusters = [dict(n_sources=r["n_sources"], n_articles=r["n_articles"], agency=r["agency"],
                             title=r["title"]) for r in sorted(cluster_rows, key=lambda r: (-r["n_sources"],
                                                                                           -r["n_articles"]))
                        if r["n_articles"] >= 2][:10]
    out.tables = dict(
        article_signatures=signed_rows(arts, own_sigs),
        cluster_members=member_rows,
        story_clusters=cluster_rows,
        article_reuse=[dict(article_id=r.article_id, reused_article_id=r.source_article_id,
                            shared_paragraphs=r.shared_paragraphs, containment=r.containment,
                            shared_shingles=r.shared_shingles, found_at=now) for r in result.partial_reuse],
        article_updates=update_rows,
    )
    if settle:
        live = {m.cluster_id for m in result.memberships}
        out.tables["reuse_withdrawn"] = [dict(article_id=aid) for aid in sorted(settle)]
        out.tables["clusters_withdrawn"] = [dict(cluster_id=cid) for cid in sorted(set(settle.values()))
                                            if cid in settle and cid not in live]
    return out


def _run_signatures(db_path: Path, ids: list[str], unloaded: Unloaded | None) -> list[Signature]:
    """The stored (or staged, not loaded) signatures of these articles of the running run."""
    from warehouse import queries

    own = unloaded.signatures if unloaded is not None else {}
    return [Signature.from_row(r) for r in _staged_then_stored(db_path, ids, own, queries.signatures_of)]


def _staged_then_stored(db_path: Path, ids: list[str], staged: Mapping[str, dict],
                        read: Callable[[Path, list[str]], list[dict]]) -> list[dict]:
    """The rows of these articles: those of a run's staged chunks (not loaded yet) from `staged`,
    then the others' read from the warehouse (`read`, when it exists)."""
    from warehouse.db import exists as warehouse_exists

    rows = [staged[aid] for aid in ids if aid in staged]
    rest = [aid for aid in ids if aid not in staged]
    if rest and warehouse_exists(db_path):
        rows += read(db_path, rest)
    return rows


def _attribute_and_sign_group(jobs: list[tuple]) -> list[tuple[Attribution, Signature | None, str | None]]:
    """Worker entry point for a group of articles: attributions one by one, signatures together;
    each (attribution, signature or None when the text is not matchable, why one of them failed)."""
    matchable = [j[:5] for j in jobs if j[5]]
    sigs = iter(_signatures(matchable))
    out = []
    for aid, _src, _when, text, _title, ok, credits in jobs:
        sig, why = next(sigs) if ok else (None, None)
        try:
            att = attribute(text, credits)
        except Exception as exc:
            log.exception("attribution of %s failed", aid)
            att, why = Attribution(), f"{ATTRIBUTION_FAILED} ({error_line(exc)}); stored without a wire agency"
        out.append((att, sig, why))
    return out


def _signatures(items: list[tuple]) -> list[tuple[Signature | None, str | None]]:
    """make_signatures of a group; if it fails, of each item alone, so that one text a defect
    cannot sign leaves the others signed."""
    try:
        return [(sig, None) for sig in make_signatures(items)]
    except Exception as exc:
        if len(items) > 1:
            return [r for item in items for r in _signatures([item])]
        log.exception("the signature of %s failed", items[0][0])
        return [(None, f"signature failed ({error_line(exc)}); stored without story matching")]


def resign_stored(db_path: Path, wait_s: float = 30.0, memory_limit: str | None = None) -> int:
    """Re-sign the stored signatures an older akhbar made (version < tasks.dedupe.SIG_VERSION:
    its dedupe key differed) from their articles' stored text; returns how many were re-signed.

    A run matches its articles against the stored window by the stored 5-grams, lead and
    paragraph hashes: signatures of the old key would miss a copy spelt the way only the new key
    folds (مسئول / مسؤول) for a whole window after an upgrade. Called in the writer's path, under
    the one-writer lock, before a load (flows/loading.py), so the first load of the first run
    after an upgrade re-signs every old row once, before the run matches anything (a one-time
    cost: one signing of each stored article, as a run signs its new ones, read and written in
    batches: `warehouse.load.rewrite_signatures`); later loads find none (one count). Clusters
    already decided stay as they are."""
    from warehouse import queries
    from warehouse.load import rewrite_signatures

    if not queries.older_signatures(db_path, SIG_VERSION, wait_s=wait_s):
        return 0
    done, kept = rewrite_signatures(db_path, SIG_VERSION, _resign_rows, wait_s=wait_s, memory_limit=memory_limit)
    log.info("re-signed %d stored signature(s) with the dedupe key of version %d%s", done, SIG_VERSION,
             f"; {kept} whose article text is gone (or could not be signed) keep their old hashes" if kept else "")
    return done


def current_signatures(sigs: list[Signature], arts: list[Article]) -> list[Signature]:
    """`sigs` with those an older akhbar made (version < SIG_VERSION: a batch a shard staged
    before its machine was upgraded, or before this one was) re-made from their articles' text
    with this version's key, as `resign_stored` re-makes the stored window they are matched
    against: a staged signature of the old key would be compared with the window's new one (no
    lead words: two stories over one block taken for an update). One whose text is gone or whose
    signing fails stays as staged."""
    stale = {s.article_id for s in sigs if s.version < SIG_VERSION}
    if not stale:
        return sigs
    by_id = {s.article_id: s for s in sigs}
    items = [(a.article_id, by_id[a.article_id].source_id, by_id[a.article_id].published_at,
              a.extraction.text, a.extraction.title)
             for a in arts if a.article_id in stale and a.extraction.text and a.extraction.text.strip()]
    fresh = {sig.article_id: sig for sig, _why in _signatures(items) if sig is not None}
    return [fresh.get(s.article_id, s) for s in sigs]


def _resign_rows(rows: list[dict]) -> list[dict]:
    """New signature values (warehouse.load.SIGNED_COLUMNS) of stored articles (article_id,
    source_id, published_at, text, title), as `attribute_and_sign` makes them for a new article;
    none for one whose text is gone or whose signing fails."""
    items = [(r["article_id"], r["source_id"], r["published_at"], r["text"], r["title"])
             for r in rows if r["text"] and r["text"].strip()]
    from warehouse.load import SIGNED_COLUMNS

    names = SIGNED_COLUMNS.names
    return [{k: v for k, v in sig.to_row().items() if k in names} for sig, _why in _signatures(items)
            if sig is not None]


def _when(art: Article) -> datetime | None:
    return art.extraction.published_at or art.fetched_at


def _existing(db_path: Path, sigs: list[Signature], window_hours: int, exclude: set[str],
              unloaded: Unloaded | None = None) -> tuple[list[Signature], dict[str, str]]:
    """The stored signatures dedupe needs for `sigs`, and the story cluster of each.

    Not the whole +-window: `queries.dedupe_pool` selects in SQL the window articles that can
    change where the new ones go (their candidates, those candidates' clusters, the holders of
    their non-numbered frequent paragraphs) in full, and the other holders of frequent
    paragraphs as light signatures (paragraph hashes only: no 5-grams, never indexed, never a
    candidate), which is all `find_templates` reads of them. assign_clusters then places the
    new articles exactly as it would with the whole window (tests/test_dedupe_window.py). The
    window is the union of each new article's +-window_hours (`dates.windows`): a run whose
    articles share a few days reads one span; a late copy of a months-old story adds its own
    small span, never the months between.
    `unloaded`: this run's chunks not in the warehouse yet; their part of the window is added
    whole (a superset of what the selection would take, so the same placement)."""
    spans = dates.windows([s.published_at for s in sigs if s.published_at is not None], timedelta(hours=window_hours))
    existing: list[Signature] = []
    clusters: dict[str, str] = {}
    for span in spans:  # disjoint: an article dated far from the others reads its own window only
        # each article's window lies inside one span: only those articles (and undated ones, whose
        # window is unknown) are asked about it
        asked = [s for s in sigs if s.published_at is None or span[0] <= s.published_at <= span[1]]
        more, more_clusters = _existing_in(db_path, asked, span, exclude, unloaded)
        existing += more
        clusters.update(more_clusters)
    return existing, clusters


def window_params(p: Params = DEFAULT) -> dict[str, int]:
    """The dedupe parameters the window read's SQL applies (warehouse/sql/queries/dedupe/)."""
    return dict(bands=p.lsh_bands, min_tokens=p.min_tokens, lead_min=p.lead_min_shared, min_docs=p.template_min_docs,
                min_stories=p.template_min_stories, max_holders=p.template_max_holders)


def _existing_in(db_path: Path, sigs: list[Signature], span: tuple[datetime, datetime], exclude: set[str],
                 unloaded: Unloaded | None) -> tuple[list[Signature], dict[str, str]]:
    """`_existing` for one span of the run's windows."""
    from warehouse import queries

    p = DEFAULT
    if p.lsh_rows != 3:  # warehouse/sql/queries/dedupe/3_candidates.sql compares bands of three values
        rows = queries.signatures_between(db_path, *span)
        return ([Signature.from_row(r) for r in rows if r["article_id"] not in exclude],
                {r["article_id"]: r["member_cluster_id"] for r in rows if r["member_cluster_id"]})
    keys = ("article_id", "key_hash", "n_tokens", "minhash", "lead", "para_hashes", "para_exact")
    new = [{k: getattr(s, k) for k in keys} for s in sigs]
    full, light = queries.dedupe_pool(db_path, *span, new, window_params(p))
    clusters = {r["article_id"]: r["member_cluster_id"] for r in light if r["member_cluster_id"]}
    existing = [Signature.from_row(r) for r in full if r["article_id"] not in exclude]
    existing += [_light_signature(r) for r in light if r["para_hashes"] is not None and r["article_id"] not in exclude]
    if unloaded is not None and unloaded.signatures:
        extra = unloaded.between(*span)
        ids = {r["article_id"] for r in extra}
        existing = [s for s in existing if s.article_id not in ids]
        existing += [Signature.from_row(r) for r in extra if r["article_id"] not in exclude]
        clusters.update({r["article_id"]: r["member_cluster_id"] for r in extra if r["member_cluster_id"]})
    return existing, clusters


def _light_signature(row: dict) -> Signature:
    """A pool member known by its paragraph hashes only (see `_existing`)."""
    n = len(row["para_hashes"])
    return Signature(article_id=row["article_id"], source_id="", published_at=None, key_hash="", n_tokens=0,
                     para_hashes=list(row["para_hashes"]), para_exact=list(row["para_exact"]),
                     para_offsets=[0] * n, shingles=[], lead=[], minhash=[])


def _stored_members(db_path: Path, result, by_id: dict[str, Article],
                    unloaded: Unloaded | None = None) -> dict[str, dict]:
    """Title, outlet and agency of earlier runs' (and earlier unloaded chunks') articles that
    appear in touched clusters."""
    from warehouse import queries

    ids = sorted({m.article_id for m in result.memberships} - set(by_id))
    own = unloaded.members if unloaded is not None else {}
    return {r["article_id"]: r for r in _staged_then_stored(db_path, ids, own, queries.member_articles)}


def _stored_attribution(row: dict | None) -> Attribution | None:
    if not row or not row.get("wire_agency"):
        return None
    return Attribution(agency=row["wire_agency"], evidence=row.get("agency_evidence"), score=1.0)


def _source(article_id: str, by_id: dict[str, Article], info: dict[str, dict]) -> str | None:
    if article_id in by_id:
        return by_id[article_id].source_id
    return (info.get(article_id) or {}).get("source_id")
