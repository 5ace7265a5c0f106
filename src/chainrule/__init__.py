"""chainrule: solves, explains and checks the mathematics of neural networks.

The package is a pipeline, one subpackage per stage, each importing only earlier ones:
``notation`` (read) → ``engine`` (know) → ``assignments`` (what is asked) → ``grading`` (decide)
→ ``reports`` (tell). ``experiments`` (PyTorch training) stands beside the engine; ``cli`` is a
thin layer over all of them and nothing imports it.
"""

from chainrule.errors import ChainruleError, InputError

__all__ = ["ChainruleError", "InputError", "__version__"]
__version__ = "0.1.0"
