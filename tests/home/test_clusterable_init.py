"""home.clusterable_init: modelcluster's constructor skipped for rows read from the
database gives the instances modelcluster's own gives, for every page of the demo
(as its own type and as a plain Page) and every clusterable model's rows; child
relations passed as keywords still go to modelcluster."""

import pytest
from django.apps import apps
from modelcluster.models import ClusterableModel
from wagtail.models import Page

from home import clusterable_init
from home.models import FormField, FormPage

pytestmark = pytest.mark.django_db


def _state(obj):
    """Everything an instance holds: its attributes and its database state."""
    values = {key: value for key, value in obj.__dict__.items() if key != "_state"}
    return type(obj), values, obj._state.adding, obj._state.db


def _with_modelclusters(read):
    ClusterableModel.__init__ = clusterable_init._modelclusters_init
    try:
        return read()
    finally:
        ClusterableModel.__init__ = clusterable_init._init


def test_it_is_installed():
    assert ClusterableModel.__init__ is clusterable_init._init


def test_rows_read_are_modelclusters_instances():
    def read():
        rows = list(Page.objects.order_by("pk")) + list(Page.objects.order_by("pk").specific())
        for model in apps.get_models():
            if issubclass(model, ClusterableModel) and not issubclass(model, Page):
                rows += list(model._default_manager.order_by("pk")[:20])
        rows += list(Page.objects.order_by("pk").only("title", "url_path"))
        return rows

    ours, modelclusters = read(), _with_modelclusters(read)
    assert len(ours) > 200
    assert [_state(obj) for obj in ours] == [_state(obj) for obj in modelclusters]


def test_positional_and_keyword_construction_are_modelclusters():
    def build():
        fields = [FormField(label="Name", field_type="singleline")]
        return [
            FormPage(title="A form", slug="a-form", form_fields=fields),
            FormPage(title="Another", slug="another"),
            FormPage(),
            Page(None, "00010001"),
        ]

    ours, modelclusters = build(), _with_modelclusters(build)
    # New child objects (equal only to themselves: no id yet), a new random key.
    made_anew = {"_cluster_related_objects", "form_fields", "translation_key"}
    for mine, theirs in zip(ours, modelclusters, strict=True):
        assert type(mine) is type(theirs)
        assert {k: v for k, v in _state(mine)[1].items() if k not in made_anew} == {
            k: v for k, v in _state(theirs)[1].items() if k not in made_anew
        }
    for page in (ours[0], modelclusters[0]):
        assert [field.label for field in page.form_fields.all()] == ["Name"]
