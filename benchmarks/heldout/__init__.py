"""Held-out image–report datasets of other domains than the demo, with planted mismatches.

    python -m benchmarks.heldout.build --domain garments|parts --n N --planted P \
        --lang en|ja --seed S --out DIR

Each dataset is a folder AlignScope imports as it is (``alignscope embed DIR``): a manifest
(UTF-8 CSV, or CP932 for the Japanese parts sheet) plus images, and ``planted.json`` naming
the rows whose report was copied from another sample (never recorded in the manifest).
"""
