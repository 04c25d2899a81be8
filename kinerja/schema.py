"""Every area's models in one import, so SQLAlchemy's metadata (create_all, Alembic) sees every table."""
from kinerja.appraisal import models as appraisal  # noqa: F401
from kinerja.core import jobs  # noqa: F401
from kinerja.core import models as core  # noqa: F401
from kinerja.feedback import models as feedback  # noqa: F401
from kinerja.integration import models as integration  # noqa: F401
from kinerja.notifications import models as notifications  # noqa: F401
from kinerja.organisation import models as organisation  # noqa: F401
from kinerja.performance import models as performance  # noqa: F401
from kinerja.publication import models as publication  # noqa: F401
from kinerja.recognition import models as recognition  # noqa: F401
