"""Lists of people from outside SIAK: school and pesantren rosters, KPU voter lists."""
