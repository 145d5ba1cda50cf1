"""Import every domain's models so Base.metadata knows all tables (Alembic, tests)."""


def import_all_models() -> None:
    from jemput.auth import models as _auth  # noqa: F401
    from jemput.jobs import models as _jobs  # noqa: F401
    from jemput.linkage import models as _linkage  # noqa: F401
    from jemput.outreach import models as _outreach  # noqa: F401
    from jemput.places import models as _places  # noqa: F401
    from jemput.regions import models as _regions  # noqa: F401
    from jemput.reports import models as _reports  # noqa: F401
    from jemput.residents import models as _residents  # noqa: F401
    from jemput.residents import search as _search  # noqa: F401
    from jemput.rosters import models as _rosters  # noqa: F401
    from jemput.schools import models as _schools  # noqa: F401
    from jemput.targets import models as _targets  # noqa: F401
    from jemput.vulnerable import models as _vulnerable  # noqa: F401
