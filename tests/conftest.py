import os

# Quiet TensorFlow's C++ start-up logging; set before Keras imports it.
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
