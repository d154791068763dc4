"""Encoder ladder: static model cards (ladder.py) and the ONNX export (python -m models_onnx.export)."""
