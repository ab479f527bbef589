"""Demo data: a realistic PCN built through the services, for trying the app and for benchmarks."""
