"""Seats per region by need, and the selection under the seats and caps; the committee's overrides."""
