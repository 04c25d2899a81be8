"""The rules of Kinerja, as plain functions over models or plain values."""
