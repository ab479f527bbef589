"""What someone sees right after signing in that is about their account itself."""
