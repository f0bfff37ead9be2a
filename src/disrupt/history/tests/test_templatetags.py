from __future__ import annotations

from django.template import Context, Template

from disrupt.conftest import Cast
from disrupt.history.models import Citation, Source


def render(template: str, **context: object) -> str:
    return Template("{% load public_record %}" + template).render(Context(context))


def cite(
    obj: object, field: str, key: str, locator: str, reading: str = "", adopted: bool = True
) -> Citation:
    source, _ = Source.objects.get_or_create(key=key, defaults={"title": f"Document {key}"})
    return Citation.objects.create(
        record=obj, field=field, source=source, locator=locator, reading=reading, is_adopted=adopted
    )


def test_it_renders_nothing_without_citations(cast: Cast) -> None:
    assert render("{% sources_for p %}", p=cast.period).strip() == ""
    assert render('{% sources_for p "starts_on" %}', p=cast.period).strip() == ""
    assert render('{% conflict_note p "starts_on" %}', p=cast.period).strip() == ""
    assert render("{% sources_for p %}", p=None).strip() == ""


def test_it_lists_sources_with_links(cast: Cast) -> None:
    cite(cast.period, "starts_on", "seeds/000", "§2", "19 May 2016")
    html = render("{% sources_for p %}", p=cast.period)
    assert 'href="/history/seeds/000/"' in html
    assert "§2" in html
    assert "Sources differ" not in html


def test_it_shows_a_conflict_note_adopted_reading_first(cast: Cast) -> None:
    cite(cast.period, "starts_on", "seeds/003", "§5", "2015", adopted=False)
    cite(cast.period, "starts_on", "seeds/002", "§1", "24 September 2014")
    for tag in ('{% sources_for p "starts_on" %}', '{% conflict_note p "starts_on" %}'):
        html = render(tag, p=cast.period)
        assert "Sources differ:" in html
        assert html.index("24 September 2014") < html.index("2015")
        assert "seeds/003" in html
    # Another field's citations do not appear.
    assert render('{% sources_for p "ends_on" %}', p=cast.period).strip() == ""
