"""Synthetic calibration: the paper's generator, small MLP encoders, the U × D_phi sweep."""
