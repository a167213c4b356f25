"""A tiny training run for test_resume: trains one model into the results store given as argv[1].

The model sleeps in every forward pass, so an epoch lasts long enough for the
test to kill the process in the middle of one. Dropout, batch norm, augmentation
and the one-cycle schedule make every piece of checkpointed state matter.
"""

import sys
import time

import torch
from torch import nn

from cnnlib.experiment import run_experiment
from cnnlib.models import register_model
from cnnlib.results import ResultsStore
from cnnlib.training import TrainConfig

from helpers import separable_dataset

SLEEP_S = float(sys.argv[2]) if len(sys.argv) > 2 else 0.0


class SleepyNet(nn.Module):
    """A small conv net whose forward pass waits ``SLEEP_S`` seconds."""

    def __init__(self, in_channels, num_classes, image_size):
        super().__init__()
        self.features = nn.Sequential(nn.Conv2d(in_channels, 4, 3, padding=1), nn.BatchNorm2d(4), nn.ReLU())
        self.head = nn.Sequential(nn.Flatten(), nn.Dropout(0.3), nn.Linear(4 * image_size[0] * image_size[1], num_classes))

    def forward(self, x):
        time.sleep(SLEEP_S)
        return self.head(self.features(x))


@register_model("SleepyNet", "model.SimpleCNN")
def sleepy_net(*, in_channels, num_classes, image_size):
    return SleepyNet(in_channels, num_classes, image_size)


if __name__ == "__main__":
    torch.set_num_threads(1)
    dataset = separable_dataset(train_size=192, test_size=64, channels=3, size=12, name="cifar10")
    config = TrainConfig(epochs=4, batch_size=32, augment=True, precision="fp32", progress="off", device="cpu")
    (result,) = run_experiment("r", dataset, ["SleepyNet"], config, profile="smoke", store=ResultsStore(sys.argv[1]))
    print(f"FINAL {result.test_acc!r} {result.history[-1]['train_loss']!r}")
