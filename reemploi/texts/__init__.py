"""Every text the workshop reads, in French, in one place (another language = another table).

Identifiers stay in English in the code and the API; what a person reads comes from here, one module
per domain. Every name is re-exported so that `texts.X` (and `t.X` in templates) needs no module path.
"""

from __future__ import annotations

from reemploi.texts.accounts import *  # noqa: F403
from reemploi.texts.certificates import *  # noqa: F403
from reemploi.texts.cli import *  # noqa: F403
from reemploi.texts.collections import *  # noqa: F403
from reemploi.texts.common import *  # noqa: F403
from reemploi.texts.devices import *  # noqa: F403
from reemploi.texts.forms import *  # noqa: F403
from reemploi.texts.hardware import *  # noqa: F403
from reemploi.texts.labels import *  # noqa: F403
from reemploi.texts.legal import *  # noqa: F403
from reemploi.texts.lifecycle import *  # noqa: F403
from reemploi.texts.lists import *  # noqa: F403
from reemploi.texts.partners import *  # noqa: F403
from reemploi.texts.parts import *  # noqa: F403
from reemploi.texts.recycling import *  # noqa: F403
from reemploi.texts.reports import *  # noqa: F403
from reemploi.texts.sales import *  # noqa: F403
from reemploi.texts.sites import *  # noqa: F403
from reemploi.texts.stock import *  # noqa: F403
from reemploi.texts.ui import *  # noqa: F403
from reemploi.texts.workshop import *  # noqa: F403
