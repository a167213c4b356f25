"""Resuming after `kill -9` in the middle of an epoch gives the uninterrupted run's result."""

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import torch

HERE = Path(__file__).resolve().parent
SCRIPT = HERE / "resume_run.py"


def _environment():
    path = os.pathsep.join([str(HERE.parent), str(HERE), os.environ.get("PYTHONPATH", "")])
    return {**os.environ, "PYTHONPATH": path, "OMP_NUM_THREADS": "1", "CNNLIB_PROGRESS": "off"}


def _run(store: Path, sleep_s: float = 0.0) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(SCRIPT), str(store), str(sleep_s)], env=_environment(),
                          capture_output=True, text=True, timeout=300, check=True)


def _stored(store: Path) -> tuple[dict, dict]:
    (record_path,) = (store / "runs").glob("*.json")
    (weights_path,) = (store / "weights").glob("*.pt")
    return json.loads(record_path.read_text()), torch.load(weights_path, weights_only=True)


def test_resume_after_kill_matches_uninterrupted(tmp_path):
    uninterrupted = tmp_path / "uninterrupted"
    _run(uninterrupted)

    interrupted = tmp_path / "interrupted"
    process = subprocess.Popen([sys.executable, str(SCRIPT), str(interrupted), "0.05"], env=_environment(),
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    checkpoints = interrupted / "checkpoints"
    deadline = time.monotonic() + 240
    while not (checkpoints.is_dir() and list(checkpoints.glob("*.ckpt"))):
        assert process.poll() is None, process.stderr.read().decode()
        assert time.monotonic() < deadline, "no checkpoint appeared"
        time.sleep(0.02)
    # An epoch sleeps at least 0.4 s (6 training and 2 test batches at 0.05 s each),
    # so 0.15 s after the first checkpoint is inside epoch 2.
    time.sleep(0.15)
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)
    assert process.returncode == -signal.SIGKILL
    assert not (interrupted / "runs").exists(), "the run finished before the kill"
    (checkpoint,) = checkpoints.glob("*.ckpt")
    assert torch.load(checkpoint, weights_only=True)["history"][-1]["epoch"] < 4

    resumed_run = _run(interrupted)
    assert "resumed" in resumed_run.stderr or "продолжено" in resumed_run.stderr

    expected_record, expected_weights = _stored(uninterrupted)
    record, weights = _stored(interrupted)
    assert record["result"]["test_acc"] == expected_record["result"]["test_acc"]
    assert record["result"]["train_acc"] == expected_record["result"]["train_acc"]
    assert record["test_predictions"] == expected_record["test_predictions"]
    for epoch, expected in zip(record["history"], expected_record["history"]):
        for metric in ("train_loss", "train_acc", "test_loss", "test_acc", "lr", "grad_norm_max"):
            assert epoch[metric] == expected[metric], (epoch["epoch"], metric)
    assert weights.keys() == expected_weights.keys()
    for name, tensor in expected_weights.items():
        assert torch.equal(weights[name], tensor), name
    assert not list(checkpoints.glob("*.ckpt")), "the checkpoint must be deleted after the record is written"
