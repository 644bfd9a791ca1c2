"""modelcluster's `ClusterableModel.__init__` without its work for rows read from the
database.

Every page (and every other clusterable model: forms, snippets with child lists) is a
`ClusterableModel`, whose constructor first lists the model's child relations
(walking all of its fields, then naming each relation's accessor) to find any passed
as keyword arguments. Django builds a row read from the database with positional
values only (`Model.from_db`), so the list is thrown away: a tenth of an uncached
newsletter issue, which builds some sixty pages. Here a constructor called with no
keyword arguments goes straight to the next constructor, as modelcluster's does once
it has found no child relation among the (absent) keywords; with keywords it is
modelcluster's own. tests/home/test_clusterable_init.py compares the instances.
"""

from modelcluster.models import ClusterableModel

_modelclusters_init = ClusterableModel.__init__


def _init(self, *args, **kwargs):
    if kwargs:
        _modelclusters_init(self, *args, **kwargs)
    else:
        super(ClusterableModel, self).__init__(*args)


def install():
    """Put `_init` in place of modelcluster's (once; `HomeConfig.ready`)."""
    if ClusterableModel.__init__ is _modelclusters_init:
        ClusterableModel.__init__ = _init
