import './ui/pp-app.ts';
