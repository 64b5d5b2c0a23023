-- Daily article volume from Egyptian outlets (country 'EG'), last 30 days, with the outlets.
SELECT day, sum(articles) AS articles, sum(wire) AS wire_articles, list(source_id ORDER BY source_id) AS outlets
FROM daily_volume
WHERE country = 'EG'
  AND day >= current_date - 30
GROUP BY day
ORDER BY day;
