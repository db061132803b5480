"""Check the release artefacts: ``python -m build`` makes an sdist and a wheel
that ``twine check --strict`` accepts, and the wheel, installed into a clean
environment, carries the bundled data sets and their citations.

Offline: the build runs without isolation (the ``test`` extra installs its
build requirements), and the clean environment gets the wheel alone with
``--no-deps --no-index``; the loaders' own dependencies (NumPy, SciPy,
scikit-learn) are borrowed from this environment's site-packages through a
``.pth`` line, which adds that folder without running its ``.pth`` files, so
an editable install of this project there is not seen.
"""

import os
import subprocess
import sys
import sysconfig
import textwrap
import zipfile
from pathlib import Path

import pytest

import skmultilabelnn

ROOT = Path(__file__).resolve().parents[1]
# The clean environment must not see this checkout (nor the egg-info that
# building the sdist leaves in it) through PYTHONPATH.
CLEAN_ENV = {key: value for key, value in os.environ.items() if key != "PYTHONPATH"}
DATA_FILES = [
    f"skmultilabelnn/datasets/data/{name}"
    for name in ("README.md", "yeast.npz", "scene.npz", "enron.npz", "delicious.npz")
] + [
    # the loaders' DESCR texts
    f"skmultilabelnn/datasets/descr/{name}.rst"
    for name in ("yeast", "scene", "enron", "delicious")
]


@pytest.fixture(scope="module")
def dist(tmp_path_factory):
    """The folder of the freshly built sdist and wheel (built from the sdist)."""
    out = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [sys.executable, "-m", "build", "--no-isolation", "--outdir", str(out)],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    return out


def _one(folder, pattern):
    (path,) = folder.glob(pattern)
    return path


def test_sdist_and_wheel_pass_twine_check(dist):
    """Check that twine's strict check accepts both files, with the version of
    ``__version__`` in their names."""
    version = skmultilabelnn.__version__
    _one(dist, f"skmultilabelnn-{version}.tar.gz")
    _one(dist, f"skmultilabelnn-{version}-py3-none-any.whl")
    result = subprocess.run(
        [sys.executable, "-m", "twine", "check", "--strict", *map(str, dist.iterdir())],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.count("PASSED") == 2, result.stdout


def test_wheel_and_sdist_carry_the_data_and_citations(dist):
    """Check that both archives hold every data file and the citations."""
    with zipfile.ZipFile(_one(dist, "*.whl")) as wheel:
        names = set(wheel.namelist())
        assert set(DATA_FILES) <= names
        readme = wheel.read("skmultilabelnn/datasets/data/README.md").decode()
    for citation in ("Elisseeff", "Boutell", "Klimt", "Tsoumakas"):
        assert citation in readme
    import tarfile

    with tarfile.open(_one(dist, "*.tar.gz")) as sdist:
        members = {name.split("/", 1)[1] for name in sdist.getnames() if "/" in name}
    assert set(DATA_FILES) <= members
    assert {"CHANGES.md", "README.md", "pyproject.toml"} <= members


def test_installed_wheel_loads_a_dataset(dist, tmp_path):
    """Check that the wheel, alone in a clean venv, loads the bundled data."""
    venv = tmp_path / "venv"
    subprocess.run(
        [sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True
    )
    python = venv / "bin" / "python"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "--python",
            str(python),
            "install",
            "--quiet",
            "--no-deps",
            "--no-index",
            "--ignore-installed",
            str(_one(dist, "*.whl")),
        ],
        check=True,
        env=CLEAN_ENV,
    )
    site_packages = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
        capture_output=True,
        text=True,
        check=True,
        env=CLEAN_ENV,
    ).stdout.strip()
    # numpy, scipy and scikit-learn from here, after the venv's own packages
    Path(site_packages, "_borrowed_dependencies.pth").write_text(
        sysconfig.get_path("purelib") + "\n"
    )
    script = textwrap.dedent(
        f"""
        import importlib.metadata, importlib.resources
        import skmultilabelnn as package
        from skmultilabelnn.datasets import load_enron, load_yeast
        assert package.__file__.startswith({str(venv)!r}), package.__file__
        assert importlib.metadata.version("skmultilabelnn") == package.__version__
        X, Y = load_yeast(subset="test", return_X_y=True)
        assert X.shape == (917, 103) and Y.shape == (917, 14), (X.shape, Y.shape)
        assert load_enron().data.format == "csr"
        data = importlib.resources.files("skmultilabelnn.datasets") / "data"
        assert "Elisseeff" in (data / "README.md").read_text()
        assert "Elisseeff" in load_yeast().DESCR
        print("ok", package.__version__)
        """
    )
    # -I: no PYTHONPATH, no user site, not the current folder
    result = subprocess.run(
        [str(python), "-I", "-c", script],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env=CLEAN_ENV,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"ok {skmultilabelnn.__version__}"
