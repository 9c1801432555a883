"""Installs the folders at the repository root as subpackages of one import name, `mlsd`.

pyproject.toml holds the metadata; only the package mapping lives here, because setuptools'
declarative config can find packages but cannot put them under a prefix."""
from setuptools import find_packages, setup
from setuptools.command.build_py import build_py

# The layers that ship; bench/ and tests/ stay in the repository.
LAYERS = ("core", "llm", "prompts", "rubric", "interviewer", "sessions", "tui")


class BuildPy(build_py):
    """The root is the `mlsd` package, so this file sits in it: leave it out of the wheel."""

    def find_package_modules(self, package, package_dir):
        modules = super().find_package_modules(package, package_dir)
        return [m for m in modules if not (package == "mlsd" and m[1] == "setup")]


found = find_packages(include=[pattern for layer in LAYERS for pattern in (layer, f"{layer}.*")])
setup(
    packages=["mlsd", *(f"mlsd.{name}" for name in found)],
    package_dir={"mlsd": "."},
    cmdclass={"build_py": BuildPy},
)
