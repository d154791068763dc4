"""The demo dataset: textile inspection images with generated inspection reports."""

from engine.demo.generate import DemoSummary, build_demo

__all__ = ["DemoSummary", "build_demo"]
