DROP TABLE advice;
