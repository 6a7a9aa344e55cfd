"""Events of the Griya IKM (pelatihan, bimtek, pameran, temu bisnis): registration with quota and waitlist, check-in, attendance certificates (issue 16)."""
