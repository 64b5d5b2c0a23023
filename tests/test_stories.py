"""tasks/stories.py: the dedupe stage's per-article half (attribution and signatures) keeps going
when one article's attribution or signature raises."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from tasks import stories
from tasks.models import Article, Extracted

WHEN = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)
STORY = ("واشنطن - رويترز: قالت وزارة الخزانة الأمريكية يوم الثلاثاء إنها فرضت عقوبات جديدة على شبكة من "
         "الشركات المتهمة بتهريب النفط عبر موانئ في المنطقة، في خطوة قالت إنها تهدف إلى قطع مصادر التمويل.\n"
         "وأضافت الوزارة في بيان أن العقوبات تشمل سبع شركات وثلاث سفن وأربعة أفراد، وأن أي أصول لهم في "
         "الولايات المتحدة ستجمد، ويحظر على المواطنين الأمريكيين التعامل معهم.\n"
         "ولم يصدر تعليق فوري من الشركات المعنية، فيما قال محللون إن العقوبات قد ترفع تكاليف الشحن في "
         "المنطقة خلال الأسابيع المقبلة إذا طالت شركات تأمين وناقلات أخرى.")


def _article(outlet: str, minutes: int, tail: str = "") -> Article:
    url = f"https://{outlet}.example/news/{minutes}"
    return Article(article_id=f"{outlet}-{minutes}", url=url, canonical_url=url, source_id=outlet,
                   feed_url=f"https://{outlet}.example/rss", fetched_at=WHEN + timedelta(minutes=minutes),
                   extraction=Extracted(status="ok", text=STORY + tail, title="عقوبات أمريكية جديدة", language="ar",
                                        published_at=WHEN + timedelta(minutes=minutes)))


def test_an_article_whose_attribution_or_signature_fails_is_kept_and_the_others_are_whole(monkeypatch, tmp_path):
    # No input found makes attribution or signing raise; a defect meeting one would have failed
    # the whole chunk (every article of it unstored, again at every later run). Here two copies
    # of one Reuters story meet such a defect, each in its own way, among three sound copies.
    real_attribute, real_sign = stories.attribute, stories.make_signatures

    def attribute(text, credits=()):
        if "ATTRIBUTION-DEFECT" in text:
            raise ValueError("a defect in attribution")
        return real_attribute(text, credits)

    def make_signatures(items):
        if any("SIGNATURE-DEFECT" in item[3] for item in items):
            raise IndexError("a defect in signing")
        return real_sign(items)

    monkeypatch.setattr(stories, "attribute", attribute)
    monkeypatch.setattr(stories, "make_signatures", make_signatures)
    arts = [_article("alpha", 0), _article("beta", 5), _article("gamma", 9, "\nATTRIBUTION-DEFECT"),
            _article("delta", 12, "\nSIGNATURE-DEFECT"), _article("epsilon", 20)]
    clustered = stories.cluster_articles(arts, tmp_path / "no-warehouse-yet.duckdb", 72, alone_on_error=True)

    by_id = {a.article_id: a for a in arts}
    assert set(clustered.problems) == {"gamma-9", "delta-12"}
    assert clustered.problems["gamma-9"].startswith("attribution failed (ValueError: a defect in attribution)")
    assert clustered.problems["delta-12"].startswith("signature failed (IndexError: a defect in signing)")
    # the sound copies (and the one without an agency) are one Reuters story
    members = {r["article_id"]: r["cluster_id"] for r in clustered.tables["cluster_members"]}
    assert set(members) == {"alpha-0", "beta-5", "gamma-9", "epsilon-20"}
    assert len(set(members.values())) == 1 and clustered.failed is None
    assert [a.wire_agency for a in arts] == ["reuters", "reuters", None, "reuters", "reuters"]
    assert clustered.tables["story_clusters"][0]["agency"] == "reuters"
    assert by_id["delta-12"].cluster_id is None  # stored, without a story
    # recorded: a run_errors row each, and the run's warning line
    errors = stories.failure_rows("run1", WHEN, arts, clustered)
    assert sorted((e["stage"], e["url"]) for e in errors) == [("dedupe", "https://delta.example/news/12"),
                                                              ("dedupe", "https://gamma.example/news/9")]
    [warning] = stories.failure_warning([clustered])
    assert warning.startswith("attribution or signature failed for 2 article(s)")


def test_a_failed_matching_names_each_article_it_stored_alone(tmp_path):
    # The record of a failed matching (the run-level test: tests/test_ingest.py) counts the
    # articles it stored alone: the signed ones, not an unmatchable page beside them.
    arts = [_article("alpha", 0), _article("beta", 5)]
    arts.append(Article(article_id="video-1", url="https://video.example/1", canonical_url="https://video.example/1",
                        source_id="video", feed_url="https://video.example/rss", fetched_at=WHEN,
                        extraction=Extracted(status="failed", text="", title="فيديو")))
    signed = stories.attribute_and_sign(arts)
    result = stories.stories_of_their_own(arts, signed.attributions, signed.sigs, "ValueError: boom")
    assert result.alone_ids == ["alpha-0", "beta-5"]
    assert [e["url"] for e in stories.failure_rows("run1", WHEN, arts, result)] == [a.url for a in arts[:2]]
    assert stories.failure_warning([result])[0].startswith("story matching failed for 2 article(s) (ValueError: boom)")


# Sputnik's Arabic service writes its own stories with no credit (an agency does not credit
# itself; its reporters' interviews say "لـ"سبوتنيك""), and outlets lift them with no credit either.
SPUTNIK_STORY = ("أعلنت وزارة الدفاع الروسية، اليوم الأحد، أن منظومات الدفاع الجوي اعترضت ودمرت خلال الليلة "
                 "الماضية 41 طائرة مسيرة فوق أراضي عدد من المقاطعات الواقعة في جنوب غربي البلاد.\n"
                 "وأوضحت الوزارة في بيان أن أكبر عدد من المسيرات أسقط فوق مقاطعة بريانسك، فيما أسقطت البقية فوق "
                 "مقاطعات كورسك وبيلغورود وأوريول، دون أن تشير إلى وقوع إصابات أو أضرار.\n"
                 "وقال مصدر في الإدارة المحلية لـ\"سبوتنيك\" إن حركة القطارات في المنطقة عادت إلى طبيعتها صباح "
                 "اليوم بعد توقف دام عدة ساعات بسبب الهجوم.")
OWN = {"sputnik_ar": "sputnik", "anadolu_ar": "anadolu"}


def _copy(outlet: str, minutes: int, text: str, title: str = "اعتراض 41 مسيرة") -> Article:
    url = f"https://{outlet}.example/news/{minutes}"
    return Article(article_id=f"{outlet}-{minutes}", url=url, canonical_url=url, source_id=outlet,
                   feed_url=f"https://{outlet}.example/rss", fetched_at=WHEN + timedelta(minutes=minutes),
                   extraction=Extracted(status="ok", text=text, title=title, language="ar",
                                        published_at=WHEN + timedelta(minutes=minutes)))


def test_an_agency_services_uncredited_copy_is_the_agencys_and_names_its_story(tmp_path):
    # Before: every copy had no agency (none credits one), and so had the story.
    arts = [_copy("alpha", 30, SPUTNIK_STORY), _copy("sputnik_ar", 0, SPUTNIK_STORY), _copy("beta", 45, SPUTNIK_STORY)]
    clustered = stories.cluster_articles(arts, tmp_path / "no-warehouse-yet.duckdb", 72, OWN)
    own = arts[1]
    assert (own.wire_agency, own.agency_evidence) == ("sputnik", "outlet: the agency's own service (catalog)")
    assert own.cited_agencies == []  # its reporter's interview is not a citation of another source
    assert [a.wire_agency for a in arts] == [None, "sputnik", None]  # the others' texts say nothing
    [story] = clustered.tables["story_clusters"]
    assert story["agency"] == "sputnik" and story["canonical_article_id"] == "sputnik_ar-0"
    assert story["agency_evidence"] == "vote 1/3: outlet: the agency's own service (catalog)"
    # the same copies with no catalog: no agency anywhere (what every run did before)
    plain = [_copy("alpha", 30, SPUTNIK_STORY), _copy("sputnik_ar", 0, SPUTNIK_STORY)]
    assert stories.cluster_articles(plain, tmp_path / "none.duckdb", 72).tables["story_clusters"][0]["agency"] is None
    assert [a.wire_agency for a in plain] == [None, None]


def test_an_agency_services_copy_of_another_wire_keeps_its_credit(tmp_path):
    # Anadolu's Arabic service republishing a Reuters story signs it "(رويترز)": Reuters' copy.
    # Its own uncredited story beside it is Anadolu's; "وكالات" (compiled from wires) stays so.
    arts = [_copy("anadolu_ar", 0, STORY.replace("واشنطن - رويترز: ", "") + " (رويترز)", "عقوبات أمريكية جديدة"),
            _copy("alpha", 5, STORY, "عقوبات أمريكية جديدة"),
            _copy("anadolu_ar", 40, SPUTNIK_STORY.replace("لـ\"سبوتنيك\"", "للأناضول")),
            _copy("anadolu_ar", 50, "عواصم - وكالات\n" + SPUTNIK_STORY.split("\n")[1], "حصيلة")]
    clustered = stories.cluster_articles(arts, tmp_path / "no-warehouse-yet.duckdb", 72, OWN)
    assert [a.wire_agency for a in arts] == ["reuters", "reuters", "anadolu", "multiple"]
    assert arts[0].agency_evidence == "sign-off: (رويترز)"
    agency = {r["canonical_article_id"]: r["agency"] for r in clustered.tables["story_clusters"]}
    assert agency["anadolu_ar-0"] == "reuters"  # the service's copy is canonical, the story Reuters'
    assert agency["anadolu_ar-40"] == "anadolu"


def test_an_agency_services_vote_counts_like_a_credit(tmp_path):
    # One copy on the agency's service (no credit) and one outlet's copy signed "(سبوتنيك)" against
    # one copy signed by another wire: the service's copy is a vote like a credit (2 to 1), no tie.
    arts = [_copy("sputnik_ar", 0, SPUTNIK_STORY), _copy("alpha", 20, SPUTNIK_STORY + " (سبوتنيك)"),
            _copy("beta", 25, SPUTNIK_STORY + " (أ ف ب)")]
    story = stories.cluster_articles(arts, tmp_path / "w.duckdb", 72, OWN).tables["story_clusters"]
    assert [a.wire_agency for a in arts] == ["sputnik", "sputnik", "afp"]
    assert [s["agency"] for s in story] == ["sputnik"]
    without = [_copy("sputnik_ar", 0, SPUTNIK_STORY), _copy("alpha", 20, SPUTNIK_STORY + " (سبوتنيك)"),
               _copy("beta", 25, SPUTNIK_STORY + " (أ ف ب)")]
    assert stories.cluster_articles(without, tmp_path / "v.duckdb", 72).tables["story_clusters"][0]["agency"] == "multiple"
