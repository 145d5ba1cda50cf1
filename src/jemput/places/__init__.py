"""Where things are: dusun points, residents' own points, region outlines, best-known points."""
