-- Reuters stories copied by at least 3 outlets in the last 7 days, widest first, with how fast
-- they spread (minutes from the first copy).
SELECT title, n_outlets, n_articles, first_seen_at, lag_median_minutes, lag_max_minutes, outlets
FROM story_spread
WHERE agency = 'reuters'
  AND first_seen_at >= now() - INTERVAL 7 DAY
  AND n_outlets >= 3
ORDER BY n_outlets DESC, first_seen_at DESC;
